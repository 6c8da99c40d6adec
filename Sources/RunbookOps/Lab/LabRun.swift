import RunbookCore

/// `runbook lab run`: up, probe before, exec, audit, probe after, down. Whatever happens, the
/// lab is removed at the end.
public struct LabRun {
    public struct Report: Sendable {
        public var lab: String
        public var balancer: Lab.Balancer?
        /// How the lab offers the service (see `Lab.serviceDescription`).
        public var service = ""
        public var before: [String?] = []
        public var after: [String?] = []
        /// ICMP redirects the director sent while the client probed, before and after the fix.
        public var redirectsBefore = 0
        public var redirectsAfter = 0
        public var outcomes: [StepOutcome] = []
        public var findings: [AuditFinding] = []
        public var interrupted: Int32?
        public var problems: [String] = []
        public var realservers: [String] = []
        /// Why the lab could not be built or started: a usage problem, not a verdict on the
        /// runbook.
        public var cannotBuild: String?
        /// What the declared probes and counters showed, each a line that names what failed.
        public var checks: [(name: String, failed: Bool)] = []
        /// The LVS service probe of a diagram (client to VIP) ran: its rules apply.
        var probedService = false

        /// The runbook did what it claims: every step ok, the audit clean, and every probe and
        /// counter as declared (for a diagram's LVS service: the client reaches every
        /// realserver through the VIP and the director sends no ICMP redirects).
        public var passed: Bool {
            cannotBuild == nil && problems.isEmpty && interrupted == nil && !outcomes.contains(where: \.stopsRun)
                && !findings.contains(where: \.verdict.isProblem) && failures.isEmpty
        }

        /// The probes and counters that did not show what they should.
        public var failures: [String] {
            var failed = checks.filter(\.failed).map(\.name)
            if probedService {
                if after.isEmpty || !after.allSatisfy({ $0 != nil }) || Set(after.compactMap { $0 }) != Set(realservers)
                {
                    failed.append("probe after: the client does not reach every realserver through the VIP")
                }
                if redirectsAfter != 0 {
                    failed.append("the director sent \(redirectsAfter) ICMP redirect(s) after the fix")
                }
            }
            return failed
        }
    }

    public var probes = 6
    public var probeTimeout = 0.5

    public init() {}

    /// Within `Interruption.handling`, Ctrl-C at any point stops the run and still removes the
    /// lab.
    public func run(_ runbook: Runbook, executable: String, log: (String) -> Void) -> Report {
        let topology: LabTopology
        do {
            topology = try LabTopology.of(runbook)
        } catch {
            var report = Report(lab: "-")
            report.cannotBuild = error.description + "\n" + LabTopology.suggestion(for: runbook)
            return report
        }
        let lab = Lab(topology: topology, runbookPath: runbook.file)
        var report = Report(lab: lab.id)
        report.realservers = ((try? lab.backends()) ?? []).map(\.host.name)
        defer {
            let problems = lab.down()
            report.problems += problems
            log(
                "down: \(problems.isEmpty ? "every namespace, veth and bridge of \(lab.id) removed" : problems.joined(separator: "; "))\n"
            )
        }
        do {
            try lab.up()
            log(
                "up: \(lab.id): \(topology.hosts.map(\.name).joined(separator: ", ")) on \(topology.subnets.count == 1 ? "a bridge" : "\(topology.subnets.count) bridges"), \(topology.hosts.count + 1) namespaces\n"
            )
            if topology.director != nil, topology.virtualAddress != nil {
                let balancer = try lab.startService(executable: executable)
                report.balancer = balancer
                report.service = try lab.serviceDescription(balancer)
                log("service: \(report.service)\n")
            }
            try lab.startListeners(executable: executable)
        } catch {
            report.cannotBuild = "\(error)"
            return report
        }
        do {
            try probe(lab, phase: "before", into: &report, log: log)
            if let signal = Interruption.signal {
                report.interrupted = signal
                return report
            }

            let executor = try lab.executor(for: runbook)
            let lines = ExecReport(color: false)
            report.outcomes = executor.run(progress: { log("  " + lines.line($0, total: runbook.steps.count)) })
            report.interrupted = executor.interrupted
            log("exec: \(summary(report.outcomes))\n")
            report.interrupted = report.interrupted ?? Interruption.signal
            guard report.interrupted == nil else { return report }

            report.findings = try lab.auditor(for: runbook).run()
            let problems = report.findings.filter(\.verdict.isProblem)
            log(
                "audit: \(problems.isEmpty ? "clean" : "\(problems.count) difference(s)") (\(report.findings.count) checks)\n"
            )
            for finding in problems {
                log(
                    "  \(finding.file):\(finding.line): \(finding.verdict.rawValue) \(finding.kind.rawValue) \(finding.subject) on \(finding.target)\n"
                )
            }
            // What hosts learnt by ARP before the steps must not decide the probes after them
            // (a realserver that answers ARP for the VIP would go unnoticed).
            try lab.flushNeighbours()
            try probe(lab, phase: "after", into: &report, log: log)
        } catch {
            report.problems.append("\(error)")
            log("error: \(error)\n")
        }
        return report
    }

    /// The probes of one phase: the declared ones with an expectation for it, with the counters
    /// read around them; or, for a diagram's LVS service, the client's requests to the VIP.
    private func probe(_ lab: Lab, phase: String, into report: inout Report, log: (String) -> Void) throws {
        let topology = lab.topology
        guard !topology.probes.isEmpty || !topology.counters.isEmpty else {
            guard topology.client != nil, topology.virtualAddress != nil, topology.director != nil else { return }
            report.probedService = true
            let counter = try lab.redirectsSent()
            let answers = try lab.probe(count: probes, timeout: probeTimeout)
            let redirects = try lab.redirectsSent() - counter
            if phase == "before" {
                (report.before, report.redirectsBefore) = (answers, redirects)
            } else {
                (report.after, report.redirectsAfter) = (answers, redirects)
            }
            log("probe \(phase): \(describe(answers)); the director sent \(redirects) ICMP redirect(s)\n")
            return
        }
        let hosts = Dictionary(topology.hosts.map { ($0.name, $0) }) { first, _ in first }
        var start: [Int] = []
        for counter in topology.counters { start.append(try lab.counter(counter.name, of: hosts[counter.host]!)) }
        for probe in topology.probes {
            guard let expected = phase == "before" ? probe.before : probe.after else { continue }
            let answers = try lab.run(probe, timeout: probeTimeout)
            let seen = lab.outcome(of: probe, answers)
            let failed = seen != expected && !(expected == .answered && seen == .rotates)
            let line =
                "probe \(phase): \(probe.name) (line \(probe.line)): \(seen?.rawValue ?? "partly answered"), expected \(expected.rawValue)"
            log("\(line)\(failed ? " FAILED" : ""); \(describe(answers))\n")
            report.checks.append((line, failed))
        }
        for (counter, first) in zip(topology.counters, start) {
            let change = try lab.counter(counter.name, of: hosts[counter.host]!) - first
            guard let limit = phase == "before" ? counter.before : counter.after else { continue }
            let line =
                "counter \(phase): \(counter.host) \(counter.name) (line \(counter.line)) rose by \(change), expected \(limit)"
            log("\(line)\(change != limit ? " FAILED" : "")\n")
            report.checks.append((line, change != limit))
        }
    }

    private func describe(_ answers: [String?]) -> String {
        let answered = answers.compactMap { $0 }
        if answered.isEmpty { return "0/\(answers.count) requests answered" }
        return
            "\(answered.count)/\(answers.count) requests answered: \(answers.map { $0 ?? "-" }.joined(separator: ", "))"
    }

    private func summary(_ outcomes: [StepOutcome]) -> String {
        StepOutcome.Verdict.allCases.compactMap { verdict in
            let count = outcomes.filter { $0.verdict == verdict }.count
            return count == 0 ? nil : "\(count) \(verdict.rawValue)"
        }.joined(separator: ", ")
    }
}
