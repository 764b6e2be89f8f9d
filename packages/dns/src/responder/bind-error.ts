/** Turns a failed bind of the responder's port into a start-up error that says why and how to fix it. */
import { ImsError } from "@ims/runtime";

export const SETCAP_COMMAND = "sudo setcap cap_net_bind_service=+ep $(readlink -f $(which node))";

function codeOf(cause: unknown): string | undefined {
  if (typeof cause === "object" && cause !== null && "code" in cause) {
    const code = (cause as { code: unknown }).code;
    return typeof code === "string" ? code : undefined;
  }
  return undefined;
}

export function explainBindError(cause: unknown, address: string, port: number, proto: "udp" | "tcp"): ImsError<"dns-bind"> {
  const where = `${address}:${port}/${proto}`;
  const otherPort = port === 5353 ? 5354 : 5353;
  const usePort = `or give the DNS server another port in the lab config (e.g. ${otherPort}), which the other nodes then use to query it`;
  switch (codeOf(cause)) {
    case "EACCES":
      return new ImsError(
        "dns-bind",
        `cannot bind ${where}: ports below 1024 need privilege and this process runs unprivileged. ` +
          `Allow node to bind them with \`${SETCAP_COMMAND}\`, ${usePort}.`,
        { cause },
      );
    case "EADDRINUSE":
      return new ImsError(
        "dns-bind",
        `cannot bind ${where}: the address is already in use by another process (another responder, bind9, ` +
          `dnsmasq or systemd-resolved?). \`ss -lunp 'sport = :${port}'\` shows which; stop it, ${usePort}. ` +
          `(An unprivileged process binding port 53 needs \`${SETCAP_COMMAND}\`.)`,
        { cause },
      );
    case "EADDRNOTAVAIL":
      return new ImsError(
        "dns-bind",
        `cannot bind ${where}: the address does not belong to this host (on Linux every 127.x.y.z does; elsewhere add a loopback alias).`,
        { cause },
      );
    default: {
      const message = cause instanceof Error ? cause.message : String(cause);
      return new ImsError("dns-bind", `cannot bind ${where}: ${message}`, { cause });
    }
  }
}
