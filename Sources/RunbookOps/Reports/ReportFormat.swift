/// How `exec`, `audit` and `lab run` write what they found: text for people, JSON for scripts,
/// JUnit XML for CI systems.
public enum ReportFormat: String, Sendable, CaseIterable {
    case text, json, junit
}
