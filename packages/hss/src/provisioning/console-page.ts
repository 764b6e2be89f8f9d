/**
 * The web console served at / : one page, no dependencies, talking to the REST API with the bearer
 * token the operator types (kept in sessionStorage only). All data is inserted with textContent.
 */
export const CONSOLE_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>IMS HSS console</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px system-ui,sans-serif;margin:1.5em;color:#222}h1{font-size:1.3em}h2{font-size:1.1em;margin-top:1.5em}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ddd;padding:.3em .5em;text-align:left}
th{background:#f4f4f4}input,select{margin:.2em .4em .2em 0;padding:.2em}button{margin-right:.3em}
.REGISTERED{color:#070;font-weight:600}.UNREGISTERED{color:#a60}.NOT_REGISTERED{color:#777}#msg{min-height:1.2em;color:#b00}
fieldset{border:1px solid #ddd;margin-top:1em}
</style></head><body>
<h1>IMS HSS console</h1>
<p>Token <input id="token" type="password" size="24"> <button id="save">Use</button>
 <a href="/openapi.json">OpenAPI</a></p>
<div id="msg"></div>
<h2>Public identities</h2>
<table><thead><tr><th>IMPU</th><th>State</th><th>IMPIs</th><th>Profile</th><th>Barred</th><th></th></tr></thead><tbody id="impus"></tbody></table>
<h2>Private identities</h2>
<table><thead><tr><th>IMPI</th><th>Subscription</th><th>Default scheme</th><th>Allowed</th><th>AMF</th><th>SQN</th><th></th></tr></thead><tbody id="impis"></tbody></table>
<fieldset><legend>Add a subscriber</legend>
<input id="f-impi" placeholder="IMPI (user@domain)" size="28"><input id="f-impus" placeholder="IMPUs (sip:…, comma separated)" size="36">
<input id="f-secret" type="password" placeholder="password"><br>
<input id="f-amf" placeholder="AMF" value="8000" size="5"><input id="f-op" placeholder="OP (32 hex)" size="34"><input id="f-sqn" placeholder="SQN (12 hex)" size="14">
<select id="f-scheme"><option>SIP Digest</option><option>Digest-AKAv1-MD5</option></select>
<button id="add">Add</button></fieldset>
<h2>Service profiles</h2><table><thead><tr><th>Name</th><th>iFCs (priority → AS)</th></tr></thead><tbody id="sps"></tbody></table>
<script>
const $ = (id) => document.getElementById(id);
$("token").value = sessionStorage.getItem("hss-token") || "";
const say = (t) => { $("msg").textContent = t; };
async function api(method, path, body) {
  const r = await fetch(path, { method, headers: { authorization: "Bearer " + $("token").value, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  const json = text ? JSON.parse(text) : null;
  if (!r.ok) throw new Error(r.status + " " + (json && json.reason ? json.reason : ""));
  return json;
}
function row(tbody, cells, actions) {
  const tr = document.createElement("tr");
  for (const c of cells) { const td = document.createElement("td"); if (typeof c === "object") { td.textContent = c.text; td.className = c.cls; } else td.textContent = c; tr.append(td); }
  const td = document.createElement("td");
  for (const [label, fn] of actions || []) { const b = document.createElement("button"); b.textContent = label; b.onclick = () => fn().then(load).catch((e) => say(e.message)); td.append(b); }
  tr.append(td); tbody.append(tr);
}
async function load() {
  try {
    const [impus, impis, sps] = await Promise.all([api("GET", "/impus"), api("GET", "/impis"), api("GET", "/service-profiles")]);
    $("impus").replaceChildren(); $("impis").replaceChildren(); $("sps").replaceChildren();
    for (const u of impus) row($("impus"), [u.identity, { text: u.registrationState, cls: u.registrationState }, u.impis.join(", "), u.serviceProfile, u.barring ? "yes" : ""],
      [["De-register", () => api("POST", "/impus/" + encodeURIComponent(u.identity) + "/deregister").then((r) => say(JSON.stringify(r)))],
       [u.barring ? "Unbar" : "Bar", () => api("PATCH", "/impus/" + encodeURIComponent(u.identity), { barring: !u.barring })]]);
    for (const i of impis) row($("impis"), [i.identity, i.subscription, i.defaultScheme, i.authSchemes.join(", "), i.amf, i.sqn],
      [["Delete subscription", () => confirm("Delete " + i.subscription + "?") ? api("DELETE", "/subscriptions/" + encodeURIComponent(i.subscription)) : Promise.resolve()]]);
    for (const s of sps) row($("sps"), [s.name, s.ifcs.map((f) => f.priority + " → " + f.applicationServer).join("; ")]);
    say("");
  } catch (e) { say(e.message); }
}
$("save").onclick = () => { sessionStorage.setItem("hss-token", $("token").value); load(); };
$("add").onclick = () => {
  const body = { impi: $("f-impi").value, impus: $("f-impus").value.split(",").map((s) => s.trim()).filter(Boolean), secret: $("f-secret").value, amf: $("f-amf").value, defaultScheme: $("f-scheme").value };
  if ($("f-op").value) body.op = $("f-op").value;
  if ($("f-sqn").value) body.sqn = $("f-sqn").value;
  api("POST", "/subscribers", body).then(() => { $("f-secret").value = ""; say("added " + body.impi); load(); }).catch((e) => say(e.message));
};
if ($("token").value) load();
</script></body></html>
`;
