import RunbookCore

extension LabTopology {
    /// A virtual service as the runbook's ipvsadm steps leave it: what the lab balances with.
    public struct DefinedService: Sendable, Equatable {
        public struct Server: Sendable, Equatable {
            /// The realserver's address, without the port: the lab's responders listen on the
            /// service's port.
            public var address: String
            public var forwarding: IPVSRule.Forwarding
            public var weight: Int
        }

        /// As written; ipvsadm's default `wlc` when the runbook gives none.
        public var scheduler: String
        public var servers: [Server]
        /// `file:line` of the rule that defined the service.
        public var source: String
    }

    /// Takes the service the runbook's ipvsadm steps leave on the VIP, if they define one.
    mutating func defineService(from runbook: Runbook) {
        let rules = runbook.steps.compactMap { step -> (IPVSRule, Int)? in
            if case .ipvs(let rule) = step.action { (rule, step.line) } else { nil }
        }
        guard let vip = virtualAddress,
            let service = IPVSEndState(rules).services.first(where: {
                $0.present && $0.serviceProtocol == .tcp && $0.service.hasPrefix(vip + ":")
            }),
            let servicePort = Int(service.service.dropFirst(vip.count + 1))
        else { return }
        port = servicePort
        definedService = DefinedService(
            scheduler: service.scheduler ?? "wlc",
            servers: service.servers.filter(\.present).map {
                DefinedService.Server(
                    address: String($0.address.split(separator: ":")[0]), forwarding: $0.forwarding, weight: $0.weight)
            },
            source: "\(runbook.file):\(service.line)")
    }

    /// Addresses the runbook's own steps put on the lab's device (`eth0`, `eth0:110`) of a host
    /// whose role they run on, where the topology does not give them; the first the director
    /// gets becomes the VIP when the topology names none.
    mutating func takeAddresses(from runbook: Runbook) {
        for step in runbook.steps {
            guard case .address(let change) = step.action, change.action == .add, change.device == "eth0",
                let cidr = change.address, let address = cidr.split(separator: "/").first.map(String.init),
                let index = hosts.firstIndex(where: { $0.role == step.host }),
                !hosts.contains(where: { $0.addresses.contains { $0.address == address } })
            else { continue }
            hosts[index].addresses.append(
                Address(address: address, name: nil, label: change.label ?? "eth0", line: step.line))
            if virtualAddress == nil, hosts[index].role == "director" { virtualAddress = address }
        }
    }
}
