import ArgumentParser
import Files
import Serve

/// `--symlinks beneath|deny`.
extension SymlinkPolicy: ExpressibleByArgument {}

/// `--dotfiles deny|allow`.
extension DotfilePolicy: ExpressibleByArgument {}

/// `--fallback-extensions none|any`.
extension Fallback.Extensions: ExpressibleByArgument {}
