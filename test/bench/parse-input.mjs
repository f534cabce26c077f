// Timing of parseErrorInput on ~1 MiB pastes. Run after `npm run build`; prints, asserts nothing
// (project rule: no timed assertions in tests).
import { parseErrorInput } from "../../dist/errors/parse/index.js";

const MiB = 1024 * 1024;
const RUNS = 20;

const pastes = {
  "json body": JSON.stringify({
    error: "invalid_grant",
    error_description: "AADSTS54005: OAuth2 Authorization code was already redeemed. " + "x".repeat(MiB),
    trace_id: "8d9f7b1e",
  }),
  "json in a log": `${"2024-05-01 INFO noise\n".repeat(MiB / 22)}ERROR failed: {"error":"invalid_client"}`,
  "curl -i": `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nX-Request-Id: r1\r\n\r\n{"error":"invalid_request","error_description":"${"y".repeat(MiB)}"}`,
  form: `error=invalid_request&error_description=${"a+".repeat(MiB / 2)}&state=xyz`,
  redirect: `https://app.example.com/cb#error=access_denied&state=${"s".repeat(MiB)}`,
  "www-authenticate": `WWW-Authenticate: Bearer error="invalid_token", error_description="${"z".repeat(MiB)}"`,
  "provider message": `AADSTS70008: The provided grant has expired. ${"w ".repeat(MiB / 2)}\r\nTrace ID: a\r\nCorrelation ID: b`,
  "plain text": "lorem ipsum dolor ".repeat(MiB / 18),
  "go oauth2 in a log": `${"2024-05-01 INFO noise\n".repeat(MiB / 22)}oauth2: "invalid_grant" "Token has been expired or revoked."`,
  "escaped json in a log": `${"msg=\\\"x\\\" ".repeat(MiB / 10)}{\\"error\\":\\"invalid_grant\\",\\"error_description\\":\\"Code not valid`,
  "google page + text": `Error 400: redirect_uri_mismatch\n\n${"The redirect URI in the request does not match. ".repeat(MiB / 48)}`,
  "many error words": "error: error = error => (error) [error] ".repeat(MiB / 40),
  "many error lines": "Error 400: x error = 'Not a code' [Error] (nope) errorCode: 'y z'\n".repeat(MiB / 64),
  "deep nesting": "[".repeat(MiB),
  "unbalanced braces": `log ${"{".repeat(MiB)}`,
};

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

let worst = 0;
for (const [name, text] of Object.entries(pastes)) {
  const times = [];
  let kind = "";
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    kind = parseErrorInput(text).kind;
    times.push(performance.now() - t0);
  }
  const m = median(times);
  worst = Math.max(worst, m);
  console.log(`parse-input  ${name.padEnd(18)} ${(text.length / MiB).toFixed(2)} MiB  median ${m.toFixed(2)} ms  (${kind})`);
}
console.log(`parse-input  worst median ${worst.toFixed(2)} ms over ${RUNS} runs each`);
