/// The IPVS table a runbook's rules leave, folded in order: later rules win. Audit compares it
/// with the kernel's table; the ipvsadm-save export writes it.
package struct IPVSEndState {
    package struct Service {
        package var serviceProtocol: IPVSRule.ServiceProtocol
        package var service: String
        package var present: Bool
        package var scheduler: String?
        package var persistent: Int?
        package var servers: [Server]
        package var line: Int
    }

    package struct Server {
        package var address: String
        package var present: Bool
        package var forwarding: IPVSRule.Forwarding
        package var weight: Int
        package var line: Int
    }

    package var services: [Service] = []
    /// The line of the last `ipvsadm -C`, after which the runbook owns the whole table.
    package var clearedAt: Int?

    package init(_ rules: [(rule: IPVSRule, line: Int)]) {
        for (rule, line) in rules {
            guard rule.action != .clear, let serviceProtocol = rule.serviceProtocol, let name = rule.service else {
                services.removeAll()
                clearedAt = line
                continue
            }
            let index =
                services.firstIndex { $0.serviceProtocol == serviceProtocol && $0.service == name }
                ?? {
                    services.append(
                        Service(
                            serviceProtocol: serviceProtocol, service: name, present: true, scheduler: nil,
                            persistent: nil, servers: [], line: line))
                    return services.count - 1
                }()
            switch rule.action {
            case .addService, .editService:
                services[index].present = true
                services[index].scheduler = rule.scheduler ?? services[index].scheduler
                services[index].persistent = rule.persistent ?? services[index].persistent
                services[index].line = line
            case .deleteService:
                services[index].present = false
                services[index].servers = []
                services[index].line = line
            case .addServer, .editServer, .deleteServer:
                guard let address = rule.server else { continue }
                services[index].servers.removeAll { $0.address == address }
                services[index].servers.append(
                    Server(
                        address: address, present: rule.action != .deleteServer,
                        forwarding: rule.forwarding ?? .route, weight: rule.weight ?? 1, line: line))
            case .clear:
                continue
            }
        }
    }
}
