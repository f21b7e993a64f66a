import Glibc

/// Starts a program the way the integration tests need: stdin from /dev/null, stdout and
/// stderr to files, no inherited descriptors except an optional one placed at fd 3, default
/// signal handling, an empty signal mask, and its own process group (so a test can kill the
/// whole group).
enum Spawner {
    /// Spawns `arguments` (`arguments[0]` looked up in PATH unless it holds a `/`) with exactly
    /// `environment`; when `inherit` is given, that descriptor becomes the child's fd 3.
    static func spawn(
        _ arguments: [String], environment: [String], stdout: String, stderr: String,
        inherit: Int32? = nil
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if let inherit {
            posix_spawn_file_actions_adddup2(&actions, inherit, 3)
            try LinuxCalls.addCloseFrom(&actions, 4)
        } else {
            try LinuxCalls.addCloseFrom(&actions, 3)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes,
            Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer {
            for string in argv + envp { free(string) }
        }
        var pid: pid_t = 0
        let result = posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, envp)
        guard result == 0 else {
            throw SupportError.system("posix_spawnp \(arguments[0])", errno: result)
        }
        return pid
    }
}
