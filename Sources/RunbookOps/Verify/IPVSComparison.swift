import RunbookCore

/// Whether the kernel's IPVS table is the documented one (`ipvsadm -Ln` output): as sets of
/// services (protocol, address, scheduler) and of their servers (address, method, weight).
/// Counters, order, column spacing and the persistence timeout (jiffies or seconds, depending
/// on the kernel) do not count.
enum IPVSComparison {
    static func compare(_ documented: [IPVSService], _ actual: [IPVSService]) -> OutputComparison.Result {
        let expected = Set(documented.flatMap(\.rows)), present = Set(actual.flatMap(\.rows))
        guard expected != present else { return .matches }
        var report = ""
        for line in documented.flatMap(\.rows) where !present.contains(line) { report += "-\(line)\n" }
        for line in actual.flatMap(\.rows) where !expected.contains(line) { report += "+\(line)\n" }
        return .differs("--- documented IPVS table\n+++ actual IPVS table\n" + report)
    }
}
