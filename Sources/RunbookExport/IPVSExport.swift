import RunbookCore

/// The view model of `ipvsadm.rules.mustache`: the IPVS table one host's ipvsadm steps leave,
/// in the form `ipvsadm-save -n` writes and `ipvsadm-restore` reads (no comments: restore
/// would take them for rules).
enum IPVSExport {
    struct Rules: ExportView {
        static let template = "ipvsadm.rules"

        /// `ipvsadm-save` lines, without the command name.
        var rules: [String]
    }

    static func model(_ runbook: Runbook, host: String?) throws(UsageProblem) -> Rules {
        let steps = runbook.steps.filter { $0.kind == .ipvs && (host == nil || $0.host == host) }
        let hosts = Set(steps.map { $0.host ?? PlanRenderer.unassigned })
        if host == nil, hosts.count > 1 {
            throw UsageProblem(
                description:
                    "an IPVS table is for one director; choose one with --host (hosts with ipvsadm steps: \(hosts.sorted().joined(separator: ", ")))"
            )
        }
        guard !steps.isEmpty else {
            throw UsageProblem(
                description: "no ipvsadm steps in \(runbook.file)\(host.map { " for host '\($0)'" } ?? "")")
        }
        let table = IPVSEndState(
            steps.compactMap { step in
                if case .ipvs(let rule) = step.action { (rule, step.line) } else { nil }
            })
        var rules: [String] = []
        for service in table.services where service.present {
            let name = "\(service.serviceProtocol.flag) \(service.service)"
            var words = ["-A", name, "-s", service.scheduler ?? "wlc"]
            if let persistent = service.persistent { words += ["-p", String(persistent)] }
            rules.append(words.joined(separator: " "))
            for server in service.servers where server.present {
                rules.append("-a \(name) -r \(server.address) \(server.forwarding.flag) -w \(server.weight)")
            }
        }
        return Rules(rules: rules)
    }
}
