/// The text of a self-contained nginx configuration for tests: one process
/// (`master_process off`), every path (pid, logs, temp files) under `prefix`, one server.
struct NginxConfig {
    /// Where nginx listens.
    enum Listen {
        /// `listen 127.0.0.1:PORT`.
        case loopback(LoopbackAddress)
        /// `listen unix:PATH`.
        case unix(String)
    }

    /// What the server does.
    enum Site {
        /// Proxies to asset-sidecar as deploy/nginx/asset-sidecar.conf does:
        /// `upstream { server unix:SOCKET; keepalive 8; }`, HTTP/1.1, `Connection ""`.
        case proxy(upstreamSocket: String)
        /// Serves files itself (the reference behaviour to compare the sidecar with).
        case files(root: String)
    }

    /// The directory for pid, logs and temp paths.
    let prefix: String
    let listen: Listen
    let site: Site
    /// Extra directives for the `http` block.
    var httpDirectives = ""
    /// Extra directives for `location /`.
    var locationDirectives = ""

    /// The configuration file's text.
    var text: String {
        let listenDirective: String
        switch listen {
        case .loopback(let address): listenDirective = "listen \(address)"
        case .unix(let path): listenDirective = "listen unix:\(path)"
        }
        let upstream: String
        let location: String
        switch site {
        case .proxy(let socket):
            upstream = "upstream asset_sidecar { server unix:\(socket); keepalive 8; }"
            location = """
                proxy_pass http://asset_sidecar;
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                """
        case .files(let root):
            upstream = ""
            location = "root \(root);"
        }
        return """
            daemon off;
            master_process off;
            worker_processes 1;
            pid \(prefix)/nginx.pid;
            error_log \(prefix)/error.log info;
            events { worker_connections 256; }
            http {
                access_log \(prefix)/access.log;
                include /etc/nginx/mime.types;
                default_type application/octet-stream;
                client_body_temp_path \(prefix)/client_body;
                proxy_temp_path \(prefix)/proxy;
                fastcgi_temp_path \(prefix)/fastcgi;
                uwsgi_temp_path \(prefix)/uwsgi;
                scgi_temp_path \(prefix)/scgi;
                \(upstream)
                \(httpDirectives)
                server {
                    \(listenDirective);
                    location / {
                        \(location)
                        \(locationDirectives)
                    }
                }
            }

            """
    }
}
