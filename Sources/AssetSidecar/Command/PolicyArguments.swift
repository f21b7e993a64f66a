import ArgumentParser
import Files
import Serve

/// `--symlinks beneath|deny`.
extension SymlinkPolicy: ExpressibleByArgument {}

/// `--dotfiles deny|allow`.
extension DotfilePolicy: ExpressibleByArgument {}
