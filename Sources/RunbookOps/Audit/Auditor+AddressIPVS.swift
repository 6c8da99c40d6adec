import RunbookCore

extension Auditor {
    /// Each address the steps leave on a device must be there, each they take off must not.
    func addresses(_ desired: DesiredState, state: any TargetState, context: AuditFinding) throws -> [AuditFinding] {
        guard !desired.addresses.isEmpty else { return [] }
        let live = try state.addresses()
        return desired.addresses.map { wanted in
            var finding = context
            finding.kind = .address
            finding.subject = wanted.change.iprouteCommand
            finding.line = wanted.line
            finding.recordPresence(
                wanted: wanted.change.action != .del, present: live.contains { wanted.change.matches($0) })
            if finding.verdict == .drift {
                let onDevice = live.filter { $0.device == wanted.change.device }.map(\.address)
                finding.detail =
                    "\(wanted.change.device) has \(onDevice.isEmpty ? "no IPv4 address" : onDevice.joined(separator: ", "))"
            }
            return finding
        }
    }

    /// The services and servers the IPVS rules leave, from /proc/net/ip_vs: a finding per
    /// missing, unexpected or different entry. After `ipvsadm -C` the runbook owns the whole
    /// table, so a service it does not define is unexpected; otherwise only the servers of the
    /// services it defines are.
    func ipvs(_ desired: DesiredState, state: any TargetState, context: AuditFinding) throws -> [AuditFinding] {
        guard !desired.ipvsRules.isEmpty else { return [] }
        return Self.ipvsFindings(desired.ipvsRules, live: try state.ipvsTable(), context: context)
    }

    /// The comparison itself, apart from reading the table: `live` is nil without IPVS.
    static func ipvsFindings(
        _ rules: [(rule: IPVSRule, line: Int)], live: [IPVSService]?, context: AuditFinding
    ) -> [AuditFinding] {
        guard let firstRule = rules.first else { return [] }
        var finding = context
        finding.kind = .ipvs
        guard let live else {
            finding.subject = "IPVS table"
            finding.line = firstRule.line
            finding.verdict = .notAudited
            finding.detail = "\(context.target) has no IPVS (no /proc/net/ip_vs: the ip_vs module is not loaded)"
            return [finding]
        }
        let expected = IPVSEndState(rules)
        var findings: [AuditFinding] = []
        for service in expected.services {
            var entry = finding
            entry.subject = "\(service.serviceProtocol.rawValue) \(service.service)"
            entry.line = service.line
            let actual = live.first { $0.serviceProtocol == service.serviceProtocol && $0.service == service.service }
            entry.expected =
                service.present ? "present" + (service.scheduler.map { ", scheduler \($0)" } ?? "") : "absent"
            entry.actual = actual.map { "present, scheduler \($0.scheduler)" } ?? "absent"
            if service.present != (actual != nil)
                || (service.scheduler != nil && actual?.scheduler != service.scheduler)
            {
                entry.verdict = .drift
            }
            findings.append(entry)
            guard let actual else { continue }
            for server in service.servers {
                var row = finding
                row.subject = "\(entry.subject) -> \(server.address)"
                row.line = server.line
                let live = actual.servers.first { $0.address == server.address }
                row.expected = server.present ? "\(server.forwarding.rawValue) weight \(server.weight)" : "absent"
                row.actual = live.map { "\($0.forwarding?.rawValue ?? "local") weight \($0.weight)" } ?? "absent"
                if row.expected != row.actual { row.verdict = .drift }
                findings.append(row)
            }
            for extra in actual.servers where !service.servers.contains(where: { $0.address == extra.address }) {
                var row = finding
                row.subject = "\(entry.subject) -> \(extra.address)"
                row.line = service.line
                row.expected = "absent"
                row.actual = "\(extra.forwarding?.rawValue ?? "local") weight \(extra.weight)"
                row.verdict = .drift
                row.detail = "a real server the runbook does not define"
                findings.append(row)
            }
        }
        if let cleared = expected.clearedAt {
            for extra in live
            where !expected.services.contains(where: {
                $0.serviceProtocol == extra.serviceProtocol && $0.service == extra.service
            }) {
                var entry = finding
                entry.subject = extra.name
                entry.line = cleared
                entry.expected = "absent"
                entry.actual = "present, scheduler \(extra.scheduler)"
                entry.verdict = .drift
                entry.detail = "a service the runbook does not define, after it clears the table"
                findings.append(entry)
            }
        }
        return findings
    }

    /// `ipvsadm -Ln` or `ip addr` with its documented table, compared with what the kernel
    /// reports (/proc/net/ip_vs, getifaddrs): no process.
    func tableListing(_ expect: Expectation, target: Target, finding: AuditFinding) -> AuditFinding {
        var finding = finding
        do {
            let state = try sessions.state(for: target, timeout: options.timeout)
            let result: OutputComparison.Result
            if let documented = expect.addresses {
                result = AddressComparison.compare(documented, try state.addresses())
            } else if let documented = expect.ipvs, let live = try state.ipvsTable() {
                result = IPVSComparison.compare(documented, live)
            } else {
                finding.verdict = .notAudited
                finding.detail = "\(target) has no IPVS (no /proc/net/ip_vs: the ip_vs module is not loaded)"
                return finding
            }
            finding.record(result)
        } catch {
            finding.verdict = .drift
            finding.detail = "\(error)"
        }
        return finding
    }
}
