// What the two start-up benches (run.mjs, undici-floor.mjs) share: the bare baseline script and
// the median. Plain Node, no dependencies.

/**
 * The bare baseline: the same requests with node:http and nothing else, as small as a script gets.
 * Given an issuer (--discover), it first reads the issuer's metadata for the token endpoint, from
 * where the CLI finds it with --issuer (RFC 8414): the same two requests.
 */
export const BARE_CLIENT = `
const http = require("node:http");
const discover = process.argv[2] === "--discover";
const [base, id, secret] = process.argv.slice(discover ? 3 : 2);
function post(url) {
  const body = "grant_type=client_credentials";
  const enc = (s) => encodeURIComponent(s).replace(/%20/g, "+");
  const req = http.request(url, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      accept: "application/json",
      authorization: "Basic " + Buffer.from(enc(id) + ":" + enc(secret)).toString("base64"),
      "content-length": Buffer.byteLength(body),
    },
  }, (res) => {
    const chunks = [];
    res.on("data", (c) => chunks.push(c));
    res.on("end", () => {
      const tokens = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      if (res.statusCode !== 200) process.exitCode = 1;
      process.stdout.write(JSON.stringify(tokens, null, 2) + "\\n");
    });
  });
  req.on("error", (e) => { console.error(e.message); process.exitCode = 3; });
  req.end(body);
}
if (!discover) post(base);
else http.get(base + "/.well-known/oauth-authorization-server", (res) => {
  const chunks = [];
  res.on("data", (c) => chunks.push(c));
  res.on("end", () => post(JSON.parse(Buffer.concat(chunks).toString("utf8")).token_endpoint));
}).on("error", (e) => { console.error(e.message); process.exitCode = 3; });
`;

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
