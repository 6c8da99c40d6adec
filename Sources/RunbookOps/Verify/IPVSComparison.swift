import RunbookCore

/// Whether the kernel's IPVS table is the documented one (`ipvsadm -Ln` output): as sets of
/// services (protocol, address, scheduler) and of their servers (address, method, weight).
/// Counters, order, column spacing and the persistence timeout (jiffies or seconds, depending
/// on the kernel) do not count.
enum IPVSComparison {
    static func compare(_ documented: [IPVSService], _ actual: [IPVSService]) -> OutputComparison.Result {
        OutputComparison.compareRows(documented.flatMap(\.rows), actual.flatMap(\.rows), what: "IPVS table")
    }
}
