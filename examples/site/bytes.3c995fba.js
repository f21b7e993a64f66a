// A "build output" with a content hash in its name (bytes.<first 8 hex of sha256>.js).
// asset-sidecar marks such names `Cache-Control: public, max-age=31536000, immutable`:
// a new build gets a new name, so browsers may keep this one forever.

/** Formats a byte count the way people read it: 1536 -> "1.5 KiB". */
export function formatBytes(count) {
    const units = ["B", "KiB", "MiB", "GiB", "TiB"];
    let value = count;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
        value /= 1024;
        unit += 1;
    }
    return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}
