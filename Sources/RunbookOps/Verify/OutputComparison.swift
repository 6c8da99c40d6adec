import RunbookCore

/// Whether a command printed what its runbook documents.
///
/// Route tables compare as sets of (destination, gateway, device): column spacing, header
/// lines, order, metrics and flags differ between machines and tools without meaning anything.
/// Other output compares line by line, trailing white space and trailing blank lines ignored.
public enum OutputComparison {
    public enum Result: Equatable, Sendable {
        case matches
        /// The report: a unified diff of what differs.
        case differs(String)
    }

    public static func compare(_ expect: Expectation, actual: String, command: String) -> Result {
        if let documented = expect.routes {
            let shell = ShellWords(command)
            if let format = RouteTable.format(ofCommand: shell), let printed = RouteTable.parse(actual, format: format)
            {
                // A table with elided rows promises its rows, not the absence of others.
                let shown =
                    expect.isPartial
                    ? printed.filter { row in documented.contains { RouteKey($0) == RouteKey(row) } } : printed
                return compareRoutes(documented, shown)
            }
        }
        let expected = OutputText.normalizedLines(expect.output)
        let printed = OutputText.normalizedLines(actual)
        return expected == printed ? .matches : .differs(UnifiedDiff.lines(expected: expected, actual: printed))
    }

    public static func compareRoutes(_ documented: [RouteEntry], _ actual: [RouteEntry]) -> Result {
        compareRows(
            documented.map { RouteKey($0).description }, actual.map { RouteKey($0).description }, what: "routes")
    }

    /// Tables as sets of rows: what is missing (`-`) and what is there besides (`+`), in the
    /// tables' own order.
    static func compareRows(_ documented: [String], _ actual: [String], what: String) -> Result {
        let expected = Set(documented), present = Set(actual)
        guard expected != present else { return .matches }
        var report = ""
        for row in documented where !present.contains(row) { report += "-\(row)\n" }
        for row in actual where !expected.contains(row) { report += "+\(row)\n" }
        return .differs("--- documented \(what)\n+++ actual \(what)\n" + report)
    }

    /// What identifies a route for comparison.
    struct RouteKey: Hashable, CustomStringConvertible {
        var destination: String
        var gateway: String?
        var device: String?

        init(_ entry: RouteEntry) {
            destination = entry.destination
            gateway = entry.gateway
            device = entry.device
        }

        var description: String {
            destination + (gateway.map { " via \($0)" } ?? "") + (device.map { " dev \($0)" } ?? "")
        }
    }
}
