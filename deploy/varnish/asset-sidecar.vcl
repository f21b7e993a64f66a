# Varnish 7.1 in front of asset-sidecar: a VCL for `varnishd -f`, e.g. on Debian copy it to
# /etc/varnish/default.vcl; the listen address is varnishd's `-a` (Debian's unit:
# `-a :6081`). Varnish connects from its worker process (Debian: user vcache), which must be
# able to connect to the socket (asset-sidecar.socket: SocketGroup=www-data, SocketMode=0660:
# `adduser vcache www-data`). Tested by Tests/fronts/run.sh, which only changes the socket
# path (and passes its port to `-a`).
vcl 4.1;

backend asset_sidecar {
    # A Unix socket backend needs `vcl 4.1`.
    .path = "/run/asset-sidecar/assets.sock";
    .connect_timeout = 1s;
    .first_byte_timeout = 10s;
    # Like the sidecar's --send-timeout.
    .between_bytes_timeout = 60s;
}

# Keep-alive to the sidecar: Varnish reuses backend connections and closes an idle one after
# the `backend_idle_timeout` parameter (60 s by default), before the sidecar's 75 s
# --idle-timeout, so it never reuses a connection that the sidecar is closing. Keep it below
# 75 s if you change it (`-p backend_idle_timeout=...`).

sub vcl_backend_response {
    # Revalidation: keep an expired object for an hour so that Varnish revalidates it at the
    # sidecar with If-None-Match (answered 304 when the file is unchanged) instead of fetching
    # it whole again.
    set beresp.keep = 1h;
}

# Ranges: Varnish is a cache. On a miss it fetches the whole file (Range is not sent to the
# sidecar) and answers a single range itself from the object, and 416 to one beyond the end.
# Known limit: Varnish 7.1 answers a request for several ranges with 416 Range Not
# Satisfiable (it has no multipart/byteranges), where the sidecar answers 206
# multipart/byteranges.
#
# Revalidation: Varnish answers If-None-Match and If-Modified-Since itself from the cached
# object's ETag and Last-Modified (304), as the sidecar would. Known limits: it ignores
# If-Match and If-Unmodified-Since (200 where the sidecar answers 412). It keeps a response
# without Cache-Control (a 404 too) for `default_ttl` (120 s) and answers from the cache
# meanwhile, so a file renamed into place can show up that late; give names that change in
# place a rule such as `--cache-control '*.html=no-cache'` (Varnish then caches none of them)
# or lower the TTL here.
#
# Accept-Encoding and Vary: with `http_gzip_support` (on by default) Varnish asks the sidecar
# with `Accept-Encoding: gzip` whatever the client sent, caches that one answer, and gunzips
# it for clients that do not accept gzip (with a weak W/ ETag). So the .gz sibling is what
# Varnish caches and serves; known limit: .br and .zst siblings are never requested.
# `Vary: Accept-Encoding` passes to the client.
