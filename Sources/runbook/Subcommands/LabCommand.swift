import ArgumentParser
import Foundation
import RunbookCore
import RunbookExport
import RunbookOps

struct LabCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lab",
        abstract: "Rehearse a network runbook for real in a disposable lab of network namespaces.",
        discussion: """
            The lab is built from the runbook's `lab:` front matter (hosts with addresses on any \
            number of subnets, starting routes, ports to listen on, probes and counters to check), \
            or else from its architecture diagram (client, director, realservers on one subnet): \
            one network namespace per host, a bridge per subnet in a namespace of its own. \
            Nothing is connected to this machine's own network.

            Examples:
              runbook lab run runbooks/one-network-nat.md
              runbook lab run runbooks/two-subnet-router.md
              runbook lab topology runbooks/two-subnet-router.md
            """,
        subcommands: [
            LabRunCommand.self, LabTopologyCommand.self, LabUpCommand.self, LabExecCommand.self, LabAuditCommand.self,
            LabProbeCommand.self, LabDownCommand.self, LabRespondCommand.self,
        ]
    )

    /// This program's own path, for starting responders in the lab.
    static var executable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// As root, the runbook and the lab of it that `lab up` built.
    static func open(_ file: String) throws -> (Runbook, Lab) {
        try requireRoot()
        let runbook = try Output.load(file)
        return (runbook, try existing(runbook))
    }

    /// The lab of a runbook that `lab up` built.
    static func existing(_ runbook: Runbook) throws -> Lab {
        let topology = try topology(runbook)
        guard let id = Lab.registered(for: runbook.file).first else {
            Output.error("no lab of \(runbook.file) is up (runbook lab up \(runbook.file))")
            throw ExitCodeError.parse
        }
        return Lab(topology: topology, runbookPath: runbook.file, id: id)
    }

    static func topology(_ runbook: Runbook) throws -> LabTopology {
        do {
            return try LabTopology.of(runbook)
        } catch {
            if let diagnostic = error.diagnostic {
                Output.report([diagnostic])
                Output.standardError(LabTopology.suggestion(for: runbook))
            } else {
                Output.standardError("\(error.description)\n\(LabTopology.suggestion(for: runbook))")
            }
            throw ExitCodeError.parse
        }
    }

    static func requireRoot() throws {
        guard Platform.isRoot else {
            Output.error("a lab needs root (network namespaces, veths, nftables)")
            throw ExitCodeError.parse
        }
    }
}

struct LabRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Build the lab, probe, run the runbook, audit, probe again, and remove the lab.",
        discussion: """
            Exit status: 0 when the runbook did what it claims (every step ok, the audit clean, \
            every declared probe and counter as expected; for a diagram's LVS service, the client \
            reaches every realserver through the VIP afterwards and the director sends no ICMP \
            redirects), 1 when it does not (the probes that failed are named), 2 when the lab \
            cannot be built (with a `lab:` front matter to start from) or on a usage or parse \
            error.

            Reports: the progress is the text report; --report FORMAT[:FILE] (text, json, junit) \
            may be repeated. With json or junit on standard output the progress goes to standard \
            error. In JUnit the lab's probes and counters are one suite, then the steps and the \
            audit findings per target.
            """
    )

    @Argument(help: "The Markdown runbook.")
    var file: String

    @OptionGroup var reports: ReportOptions

    func run() throws {
        try LabCommand.requireRoot()
        let runbook = try Output.load(file)
        // The progress is the text report: kept for `--report text:FILE`, and shown on standard
        // error when standard output carries another format.
        var transcript = ""
        let report = Interruption.handling {
            LabRun().run(runbook, executable: LabCommand.executable) {
                transcript += $0
                reports.show($0)
            }
        }
        if let reason = report.cannotBuild { Output.error("the lab could not be built: \(reason)") }
        for problem in report.problems { Output.error("\(problem)") }
        var result = report.failures.map { "failed: \($0)\n" }.joined()
        if report.cannotBuild == nil {
            result +=
                report.passed
                ? "result: the runbook does what it claims\n" : "result: the runbook does not do what it claims\n"
        }
        try reports.write(text: result) { format in
            switch format {
            case .text: transcript + result
            case .json: report.json(file: file)
            case .junit: report.junit(file: file)
            }
        }
        if report.cannotBuild != nil { throw ExitCodeError.parse }
        if let signal = report.interrupted { throw ExitCode(128 + signal) }
        if !report.passed { throw ExitCode(1) }
    }
}

struct LabUpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "up", abstract: "Build the lab and start its service.")

    @Argument(help: "The Markdown runbook.")
    var file: String

    func run() throws {
        try LabCommand.requireRoot()
        let runbook = try Output.load(file)
        let topology = try LabCommand.topology(runbook)
        if let existing = Lab.registered(for: file).first {
            Output.error(
                "a lab of \(file) is up already (\(existing)): use it (runbook lab exec|audit|probe \(file)) or remove it (runbook lab down \(file))"
            )
            throw ExitCodeError.parse
        }
        let lab = Lab(topology: topology, runbookPath: file)
        do {
            try lab.up()
            var service = ""
            if topology.director != nil, topology.virtualAddress != nil {
                service = " (service by \(try lab.startService(executable: LabCommand.executable).rawValue))"
            }
            try lab.startListeners(executable: LabCommand.executable)
            Output.standardOutput("\(lab.id): \(lab.namespaces.joined(separator: " "))\(service)\n")
        } catch {
            lab.down()
            Output.error("\(error)")
            throw ExitCode(1)
        }
    }
}

struct LabExecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec", abstract: "Run the runbook in the lab that is up, each role on its namespaces.")

    @Argument(help: "The Markdown runbook.")
    var file: String

    func run() throws {
        let (runbook, lab) = try LabCommand.open(file)
        let executor = try lab.executor(for: runbook)
        let report = ExecReport(color: Output.wantsColor(.output))
        let outcomes = Interruption.handling {
            executor.run(progress: { Output.standardOutput(report.line($0, total: runbook.steps.count)) })
        }
        Output.standardOutput(report.summary(outcomes, planned: executor.plan.items.count))
        if outcomes.contains(where: \.stopsRun) { throw ExitCode(1) }
    }
}

struct LabAuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Audit the lab that is up against the runbook.")

    @Argument(help: "The Markdown runbook.")
    var file: String

    func run() throws {
        let (runbook, lab) = try LabCommand.open(file)
        let findings = try lab.auditor(for: runbook).run()
        Output.standardOutput(AuditReport(color: Output.wantsColor(.output)).text(findings))
        if findings.contains(where: \.verdict.isProblem) { throw ExitCode(1) }
    }
}

struct LabProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Connect to the VIP from the client and show who answers, and the director's ICMP redirects.")

    @Argument(help: "The Markdown runbook.")
    var file: String

    @Option(help: "Connections to make.")
    var count = 6

    func run() throws {
        let (_, lab) = try LabCommand.open(file)
        let answers = try lab.probe(count: count, timeout: 0.5)
        Output.standardOutput("answers: \(answers.map { $0 ?? "-" }.joined(separator: ", "))\n")
        Output.standardOutput("director ICMP redirects sent: \(try lab.redirectsSent())\n")
        if answers.contains(where: { $0 == nil }) { throw ExitCode(1) }
    }
}

struct LabDownCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "down",
        abstract: "Remove the lab of a runbook, or with --all every lab, also what a killed run left.")

    @Argument(help: "The Markdown runbook whose labs to remove.")
    var file: String?

    @Flag(help: "Remove every lab the registry says runbook created (nothing else named like one).")
    var all = false

    @Flag(help: "Remove labs whose run is still in progress too.")
    var force = false

    func validate() throws {
        if (file == nil) == !all { throw ValidationError("give a runbook FILE, or --all") }
    }

    func run() throws {
        try LabCommand.requireRoot()
        let (problems, inUse) = all ? Lab.downAll(force: force) : Lab.down(runbook: file ?? "", force: force)
        for lab in inUse { Output.standardError("runbook: \(lab); left alone (--force removes it)\n") }
        for problem in problems { Output.error("\(problem)") }
        if !problems.isEmpty { throw ExitCode(1) }
    }
}

struct LabRespondCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "respond", abstract: "Answer each TCP connection with a name (the lab's realserver service).",
        shouldDisplay: false)

    @Option var address: String
    @Option var port: Int
    @Option var name: String

    func run() throws {
        do {
            try LabProbe.serve(address: address, port: port, name: name)
        } catch {
            Output.error(error.description)
            throw ExitCode(1)
        }
    }
}

struct LabTopologyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topology",
        abstract: "Print the hosts, roles, addresses and subnet the lab would build."
    )

    @Argument(help: "The Markdown runbook.")
    var file: String

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    func run() throws {
        let runbook = try Output.load(file)
        let topology = try LabCommand.topology(runbook)
        Output.standardOutput(format == .json ? topology.json() : topology.text(file: file))
    }
}
