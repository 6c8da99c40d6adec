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

        /// The runbook did what it claims: every step ok, the audit clean, the client reaches
        /// every realserver through the VIP, and the director sends no ICMP redirects.
        public var passed: Bool {
            problems.isEmpty && interrupted == nil && !outcomes.contains(where: \.stopsRun)
                && !findings.contains(where: \.verdict.isProblem)
                && !after.isEmpty && after.allSatisfy { $0 != nil } && Set(after.compactMap { $0 }) == Set(realservers)
                && redirectsAfter == 0
        }
    }

    public var probes = 6
    public var probeTimeout = 0.5

    public init() {}

    /// Ctrl-C at any point stops the run and still removes the lab.
    public func run(_ runbook: Runbook, executable: String, log: (String) -> Void) -> Report {
        Interruption.handling { runPhases(runbook, executable: executable, log: log) }
    }

    private func runPhases(_ runbook: Runbook, executable: String, log: (String) -> Void) -> Report {
        let topology: LabTopology
        do {
            topology = try LabTopology.of(runbook)
        } catch {
            var report = Report(lab: "-")
            report.problems.append(error.description)
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
                "up: \(lab.id): \(topology.hosts.map(\.name).joined(separator: ", ")) on a bridge, \(topology.hosts.count + 1) namespaces\n"
            )
            let balancer = try lab.startService(executable: executable)
            report.balancer = balancer
            report.service = try lab.serviceDescription(balancer)
            log("service: \(report.service)\n")
            var counter = try lab.redirectsSent()
            report.before = try lab.probe(count: probes, timeout: probeTimeout)
            report.redirectsBefore = try lab.redirectsSent() - counter
            log(
                "probe before: \(describe(report.before)); the director sent \(report.redirectsBefore) ICMP redirect(s)\n"
            )
            if let signal = Interruption.signal {
                report.interrupted = signal
                return report
            }

            var options = ExecPlan.Options()
            options.targets = lab.targets(for: runbook)
            if balancer == .nftables { options.ipvsStandIn = "the lab's nftables service" }
            let executor = Executor(plan: try ExecPlan(runbook: runbook, options: options), journal: nil)
            let lines = ExecReport(color: false)
            report.outcomes = executor.run(progress: { log("  " + lines.line($0, total: runbook.steps.count)) })
            report.interrupted = executor.interrupted
            log("exec: \(summary(report.outcomes))\n")
            report.interrupted = report.interrupted ?? Interruption.signal
            guard report.interrupted == nil else { return report }

            var auditOptions = Auditor.Options()
            auditOptions.targets = lab.targets(for: runbook)
            report.findings = try Auditor(runbook: runbook, options: auditOptions).run()
            let problems = report.findings.filter(\.verdict.isProblem)
            log(
                "audit: \(problems.isEmpty ? "clean" : "\(problems.count) difference(s)") (\(report.findings.count) checks)\n"
            )
            for finding in problems {
                log(
                    "  \(finding.file):\(finding.line): \(finding.verdict.rawValue) \(finding.kind.rawValue) \(finding.subject) on \(finding.target)\n"
                )
            }

            counter = try lab.redirectsSent()
            report.after = try lab.probe(count: probes, timeout: probeTimeout)
            report.redirectsAfter = try lab.redirectsSent() - counter
            log("probe after: \(describe(report.after)); the director sent \(report.redirectsAfter) ICMP redirect(s)\n")
        } catch {
            report.problems.append("\(error)")
            log("error: \(error)\n")
        }
        return report
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
