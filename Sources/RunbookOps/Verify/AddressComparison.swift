import RunbookCore

/// Whether the machine carries the documented interface addresses (`ip addr` or `ifconfig`
/// output): as sets of address and device, for the devices the documentation shows. Labels,
/// flags, lifetimes and counters do not count, nor do devices the output leaves out.
enum AddressComparison {
    static func compare(_ documented: [InterfaceAddress], _ live: [InterfaceAddress]) -> OutputComparison.Result {
        let devices = Set(documented.map(\.device))
        let shown = live.filter { devices.contains($0.device) }
        let expected = Set(documented.map(\.row)), present = Set(shown.map(\.row))
        guard expected != present else { return .matches }
        var report = ""
        for line in documented.map(\.row) where !present.contains(line) { report += "-\(line)\n" }
        for line in shown.map(\.row) where !expected.contains(line) { report += "+\(line)\n" }
        return .differs("--- documented addresses\n+++ actual addresses\n" + report)
    }
}
