// The page's own script. Its name has no content hash, so asset-sidecar sends no
// Cache-Control for it: browsers revalidate it with If-None-Match and get 304 while unchanged.
import { formatBytes } from "./bytes.3c995fba.js";

const output = document.querySelector("#range-output");

/** Asks for bytes 64-191 of media/sample.txt and shows what came back. */
async function fetchRange() {
    const response = await fetch("media/sample.txt", { headers: { Range: "bytes=64-191" } });
    const body = await response.text();
    const total = response.headers.get("Content-Range")?.split("/")[1];
    output.textContent = [
        `${response.status} ${response.statusText}`,
        `Content-Range: ${response.headers.get("Content-Range")}`,
        `Content-Length: ${response.headers.get("Content-Length")}`,
        total ? `(the whole file is ${formatBytes(Number(total))})` : "",
        "",
        body,
    ].join("\n");
}

document.querySelector("#range-button").addEventListener("click", () => {
    fetchRange().catch((error) => {
        output.textContent = `request failed: ${error}`;
    });
});
