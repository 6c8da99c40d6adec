import RunbookCore

/// The end state a host's steps describe: later steps win.
struct DesiredState {
    var sysctls: [(key: String, value: String, line: Int)] = []
    var persisted: [(key: String, value: String, file: String, line: Int)] = []
    /// The last documented table, with the route changes after it applied.
    var routeTable: (entries: [RouteEntry], line: Int)?
    /// Route changes with no documented table after them: present or absent.
    var routeChecks: [(change: RouteChange, line: Int)] = []
    /// Addresses the steps add (present at the end) or delete (absent), the last step on an
    /// address and device winning.
    var addresses: [(change: AddressChange, line: Int)] = []
    /// IPVS rules the steps set, in order.
    var ipvsRules: [(rule: IPVSRule, line: Int)] = []
    /// Commands whose output is documented as an end state.
    var commands: [Step] = []

    init(steps: [Step]) {
        var sysctlIndex: [String: Int] = [:], persistedIndex: [String: Int] = [:]
        for step in steps {
            switch step.action {
            case .sysctl(let setting):
                if let index = sysctlIndex[setting.key] {
                    sysctls[index] = (setting.key, setting.value, step.line)
                } else {
                    sysctlIndex[setting.key] = sysctls.count
                    sysctls.append((setting.key, setting.value, step.line))
                }
                if let file = setting.persist {
                    if let index = persistedIndex[setting.key] {
                        persisted[index] = (setting.key, setting.value, file, step.line)
                    } else {
                        persistedIndex[setting.key] = persisted.count
                        persisted.append((setting.key, setting.value, file, step.line))
                    }
                }
            case .route(let change):
                if var table = routeTable {
                    table.entries.removeAll { change.matches($0) }
                    if change.action != .del {
                        table.entries.append(
                            RouteEntry(
                                destination: change.destination, gateway: change.gateway,
                                device: change.device, metric: change.metric ?? 0, flags: nil))
                    }
                    routeTable = table
                } else {
                    routeChecks.removeAll { $0.change.destination == change.destination }
                    routeChecks.append((change, step.line))
                }
            case .address(let change):
                addresses.removeAll { $0.change.device == change.device && $0.change.address == change.address }
                addresses.append((change, step.line))
            case .ipvs(let rule):
                ipvsRules.append((rule, step.line))
            case .command(let command):
                guard let expect = command.expect else { continue }
                // Only a whole table is the state the host ends in.
                if let routes = expect.routes, !expect.isPartial {
                    routeTable = (routes, step.line)
                    routeChecks.removeAll()
                }
                if !expect.isPrecondition { commands.append(step) }
            }
        }
    }
}
