import Serve

/// The flags that shape responses by path — `--header`, `--fallback`, `--error-page` (SPEC
/// §4.5–§4.6) — turned into their checked values, one line and exit 78 for anything wrong.
extension SidecarCommand {
    /// What `--fallback` and `--error-page` paths must be.
    static let pageRequirement =
        "needs an absolute path to a visible file, like /index.html"

    /// Every `--header PATTERN=Name: value`, checked; a name twice in one set is refused.
    static func headerRules(_ specs: [String]) throws -> [HeaderRules.Rule] {
        var rules: [HeaderRules.Rule] = []
        for spec in specs {
            guard let (pattern, field) = split(spec), !pattern.isEmpty,
                let colon = field.firstIndex(of: ":")
            else { throw StartupError("--header needs 'PATTERN=Name: value', got '\(spec)'") }
            let name = Array(field[..<colon].utf8)
            let value = Array(field[field.index(after: colon)...].utf8.drop { $0 == 32 || $0 == 9 })
            if let problem = HeaderRules.check(name: name, value: value) {
                throw StartupError("--header '\(spec)': \(problem)")
            }
            let rule = HeaderRules.Rule(
                pattern: PathPattern(Array(pattern.utf8)), name: name, value: value)
            let lowered = String(decoding: name, as: UTF8.self).lowercased()
            guard
                !rules.contains(where: {
                    $0.pattern == rule.pattern
                        && String(decoding: $0.name, as: UTF8.self).lowercased() == lowered
                })
            else {
                throw StartupError("--header '\(spec)': the field is already set for \(pattern)")
            }
            rules.append(rule)
        }
        return rules
    }

    /// Every `--error-page STATUS=PATH`: 403, 404 or 416, once each, a visible file path.
    static func errorPages(_ specs: [String]) throws -> ErrorPages {
        var pages = ErrorPages()
        for spec in specs {
            guard let (code, target) = split(spec), let number = Int(code),
                let status = ErrorPages.statuses.first(where: { $0.rawValue == number })
            else {
                throw StartupError(
                    "--error-page needs STATUS=PATH with STATUS 403, 404 or 416, got '\(spec)'")
            }
            guard pages[status] == nil else {
                throw StartupError("--error-page \(code) is given twice")
            }
            guard let page = SitePage(target) else {
                throw StartupError("--error-page \(spec): \(pageRequirement)")
            }
            pages[status] = page
        }
        return pages
    }
}
