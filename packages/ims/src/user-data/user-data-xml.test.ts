import { describe, expect, it } from "vitest";
import { parseUserData, serializeUserData } from "./user-data-xml.js";
import { parseXml } from "./xml-tree.js";
import type { ImsSubscription } from "./types.js";

const sub: ImsSubscription = {
  privateId: "a@domain.imsprovider.org",
  serviceProfiles: [
    {
      publicIdentities: [
        { identity: "sip:a@domain.imsprovider.org", barringIndication: false, identityType: 0, displayName: "Alice & Co" },
        { identity: "tel:+4930123", identityType: 0 },
      ],
      subscribedMediaProfileId: 0,
      initialFilterCriteria: [
        {
          priority: 0,
          triggerPoint: {
            conditionTypeCnf: false,
            spt: [
              { conditionNegated: false, group: [0], condition: { kind: "method", method: "INVITE" } },
              { conditionNegated: false, group: [0], condition: { kind: "sessionCase", sessionCase: 0 } },
              {
                conditionNegated: true,
                group: [1],
                condition: { kind: "sipHeader", header: "From", content: "<sip:x@y>" },
              },
              { conditionNegated: false, group: [2], condition: { kind: "sessionDescription", line: "m", content: "audio" } },
              { conditionNegated: false, group: [3], condition: { kind: "requestUri", requestUri: "sip:voicemail@" } },
              {
                conditionNegated: false,
                group: [4],
                condition: { kind: "method", method: "REGISTER" },
                registrationType: [0, 2],
              },
            ],
          },
          applicationServer: {
            serverName: "sip:as.domain.imsprovider.org:5070",
            defaultHandling: 0,
            serviceInfo: "a<b",
            includeRegisterRequest: true,
          },
          profilePartIndicator: 0,
        },
      ],
    },
  ],
};

describe("User-Data XML (TS 29.228 Annex E)", () => {
  it("round-trips a full subscription", () => {
    const xml = serializeUserData(sub);
    expect(xml).toContain("<PrivateID>a@domain.imsprovider.org</PrivateID>");
    expect(xml).toContain("<DisplayName>Alice &amp; Co</DisplayName>");
    expect(xml).toContain("<ConditionTypeCNF>0</ConditionTypeCNF>");
    expect(xml).toContain("<Extension><RegistrationType>0</RegistrationType><RegistrationType>2</RegistrationType></Extension>");
    const back = parseUserData(xml);
    expect(back).toEqual({ ok: true, value: sub });
  });

  it("keeps the element order of the schema (Identity after BarringIndication)", () => {
    const xml = serializeUserData(sub);
    expect(xml.indexOf("<BarringIndication>")).toBeLessThan(xml.indexOf("<Identity>"));
    expect(xml.indexOf("<CoreNetworkServicesAuthorization>")).toBeLessThan(xml.indexOf("<InitialFilterCriteria>"));
  });

  it("parses a FHoSS-style document with comments, whitespace and namespaces", () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
      <!-- from FHoSS -->
      <IMSSubscription xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
        <PrivateID>b@x</PrivateID>
        <ServiceProfile>
          <PublicIdentity><Identity> sip:b@x </Identity></PublicIdentity>
          <InitialFilterCriteria><Priority>5</Priority>
            <ApplicationServer><ServerName>sip:as</ServerName><DefaultHandling>1</DefaultHandling></ApplicationServer>
          </InitialFilterCriteria>
        </ServiceProfile>
      </IMSSubscription>`;
    const r = parseUserData(xml);
    expect(r.ok && r.value.serviceProfiles[0]?.publicIdentities[0]?.identity).toBe("sip:b@x");
    expect(r.ok && r.value.serviceProfiles[0]?.initialFilterCriteria[0]?.applicationServer.defaultHandling).toBe(1);
  });

  it.each([
    ["empty", ""],
    ["unclosed", "<IMSSubscription><PrivateID>x</PrivateID>"],
    ["mismatched", "<IMSSubscription></ServiceProfile>"],
    ["wrong root", "<Foo/>"],
    ["no profile", "<IMSSubscription><PrivateID>x</PrivateID></IMSSubscription>"],
    ["no identity", "<IMSSubscription><PrivateID>x</PrivateID><ServiceProfile/></IMSSubscription>"],
    ["bad priority", "<IMSSubscription><PrivateID>x</PrivateID><ServiceProfile><PublicIdentity><Identity>s</Identity></PublicIdentity><InitialFilterCriteria><Priority>-1</Priority><ApplicationServer><ServerName>s</ServerName></ApplicationServer></InitialFilterCriteria></ServiceProfile></IMSSubscription>"],
    ["DTD", "<!DOCTYPE x [<!ENTITY a 'b'>]><IMSSubscription/>"],
    ["bad entity", "<IMSSubscription><PrivateID>&foo;</PrivateID></IMSSubscription>"],
    ["two roots", "<a/><b/>"],
  ])("rejects malformed input (%s) with a typed error", (_name, xml) => {
    const r = parseUserData(xml);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.tag).toBe("user-data-invalid");
  });

  it("decodes entities and CDATA", () => {
    const r = parseXml("<a>x &lt;&#65;&#x42;<![CDATA[<c>]]></a>");
    expect(r.ok && r.value.text).toBe("x <AB<c>");
  });
});
