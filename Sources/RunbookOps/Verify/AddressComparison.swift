import RunbookCore

/// Whether the machine carries the documented interface addresses (`ip addr` or `ifconfig`
/// output): as sets of address and device, for the devices the documentation shows. Labels,
/// flags, lifetimes and counters do not count, nor do devices the output leaves out.
enum AddressComparison {
    static func compare(_ documented: [InterfaceAddress], _ live: [InterfaceAddress]) -> OutputComparison.Result {
        let devices = Set(documented.map(\.device))
        return OutputComparison.compareRows(
            documented.map(\.row), live.filter { devices.contains($0.device) }.map(\.row), what: "addresses")
    }
}
