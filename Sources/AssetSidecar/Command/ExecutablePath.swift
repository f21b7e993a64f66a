import Glibc

/// The path the hot upgrade executes (behaviour §1.6): `argv[0]` as an absolute path, resolved once
/// at startup. Not `/proc/self/exe`, which names the running (old) inode, and without resolving
/// symbolic links, so that a link repointed at a new release is followed. systemd passes the
/// ExecStart path as `argv[0]`.
enum ExecutablePath {
    /// `argv0` made absolute: as it is when it starts with '/', against `directory` when it
    /// holds a '/', else the first executable match in `search` (a `PATH` value). Nil when
    /// nothing matches.
    static func resolve(_ argv0: String, directory: String?, search: String?) -> String? {
        if argv0.hasPrefix("/") { return argv0 }
        if argv0.contains("/") {
            guard let directory else { return nil }
            return directory.hasSuffix("/") ? directory + argv0 : directory + "/" + argv0
        }
        for entry in (search ?? "").split(separator: ":", omittingEmptySubsequences: true)
        where entry.hasPrefix("/") {
            let candidate = String(entry) + (entry.hasSuffix("/") ? "" : "/") + argv0
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    /// This process's executable path, from its `argv[0]`, working directory and `PATH`.
    static func current() -> String? {
        guard let argv0 = CommandLine.arguments.first else { return nil }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let directory = getcwd(&buffer, buffer.count).map { String(cString: $0) }
        return resolve(
            argv0, directory: directory, search: getenv("PATH").map { String(cString: $0) })
    }
}
