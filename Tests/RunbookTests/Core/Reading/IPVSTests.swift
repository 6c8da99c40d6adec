import RunbookTestSupport
import Testing

@testable import RunbookCore
@testable import RunbookExport
@testable import RunbookOps

@Suite("IPVS steps")
struct IPVSTests {
    @Test(
        "ipvsadm spellings, with ipvsadm's defaults filled in",
        arguments: [
            ("ipvsadm -A -t 192.168.1.10:80 -s wrr", "add-service tcp 192.168.1.10:80 scheduler wrr"),
            (
                "sudo ipvsadm -A -t 192.168.1.10:80 -s rr -p",
                "add-service tcp 192.168.1.10:80 scheduler rr persistent 300"
            ),
            ("ipvsadm -E -u 10.0.0.1:53 -s lc -p 60", "edit-service udp 10.0.0.1:53 scheduler lc persistent 60"),
            ("ipvsadm -D -t 192.168.1.10:80", "delete-service tcp 192.168.1.10:80"),
            (
                "ipvsadm -a -t 192.168.1.10:80 -r 192.168.179.111 -m -w 2",
                "add-server tcp 192.168.1.10:80 -> 192.168.179.111:80 masq weight 2"
            ),
            (
                "ipvsadm --add-server --tcp-service 192.168.1.10:80 --real-server 192.168.1.3:8080 --gatewaying",
                "add-server tcp 192.168.1.10:80 -> 192.168.1.3:8080 route weight 1"
            ),
            ("ipvsadm -a -f 10 -r 10.0.0.110 -i", "add-server fwmark 10 -> 10.0.0.110:0 tunnel weight 1"),
            (
                "ipvsadm -e -t 192.168.1.10:80 -r 192.168.1.3 -g -w 0",
                "edit-server tcp 192.168.1.10:80 -> 192.168.1.3:80 route weight 0"
            ),
            ("ipvsadm -d -t 192.168.1.10:80 -r 192.168.1.3:80", "delete-server tcp 192.168.1.10:80 -> 192.168.1.3:80"),
            ("ipvsadm -C", "clear"),
        ])
    func spelling(_ example: (command: String, summary: String)) throws {
        let step = try #require(try parse("```sh\n\(example.command)\n```\n").steps.first)
        let rule = try #require(step.ipvs)
        #expect(rule.summary == example.summary)
        #expect(rule.command == example.command)
    }

    @Test(
        "reads, names and variables stay commands",
        arguments: [
            "ipvsadm -Ln", "ipvsadm -L -n --stats", "ipvsadm -S -n", "ipvsadm -A -t $VIP:80 -s rr",
            "ipvsadm -A -t www.example.com:http -s rr", "ipvsadm -A 192.168.1.1:80 -s rr",
            "ipvsadm -a -t 192.168.1.10:80 -r 192.168.1.3 -x 100", "ipvsadm -A -t 192.168.1.10:80 -r 192.168.1.3",
        ])
    func untyped(_ command: String) throws {
        let step = try #require(try parse("```sh\n\(command)\n```\n").steps.first)
        #expect(step.kind == .command)
    }

    @Test("an ipvsadm-restore heredoc is one rule a line, each at its own line")
    func restore() throws {
        let runbook = try parse(
            """
            ```sh
            ipvsadm-restore <<EOF
            -A -t 192.168.1.10:80 -s rr
            -a -t 192.168.1.10:80 -r 192.168.1.2:80 -m -w 1
            EOF
            ```
            """)
        #expect(runbook.steps.map(\.kind) == [.ipvs, .ipvs])
        #expect(runbook.steps.map(\.line) == [3, 4])
        #expect(runbook.steps[1].ipvs?.command == "ipvsadm -a -t 192.168.1.10:80 -r 192.168.1.2:80 -m -w 1")
    }

    @Test("a glossary of options under a command does not keep the block from being commands")
    func optionGloss() throws {
        let runbook = try parse("```\nipvsadm -A -t 192.168.1.150:80 -s rr -p 5\n-A：添加虚拟服务\n-t：tcp协议\n-s：调度算法\n```\n")
        #expect(runbook.steps.map(\.kind) == [.ipvs])
    }

    /// /proc/net/ip_vs as the kernel prints it (ip_vs_ctl.c); this machine's kernel has no IPVS.
    static let procText = """
        IP Virtual Server version 1.2.1 (size=4096)
        Prot LocalAddress:Port Scheduler Flags
          -> RemoteAddress:Port Forward Weight ActiveConn InActConn
        TCP  C0A8016E:0050 rr 
          -> C0A80103:0050      Masq    2      0          0         
          -> C0A80104:0050      Masq    1      0          0         
        FWM  0000000A wlc persistent 300 FFFFFFFF
          -> 0A00006E:0000      Tunnel  1      0          0         
        """

    @Test("/proc/net/ip_vs: services with their scheduler and servers with method and weight")
    func procTable() {
        #expect(
            ProcIPVS.parse(Self.procText) == [
                IPVSService(
                    serviceProtocol: .tcp, service: "192.168.1.110:80", scheduler: "rr", persistent: nil,
                    servers: [
                        .init(address: "192.168.1.3:80", forwarding: .masq, weight: 2),
                        .init(address: "192.168.1.4:80", forwarding: .masq, weight: 1),
                    ]),
                IPVSService(
                    serviceProtocol: .fwmark, service: "10", scheduler: "wlc", persistent: 300,
                    servers: [.init(address: "10.0.0.110:0", forwarding: .tunnel, weight: 1)]),
            ])
    }

    @Test("audit: a finding per missing, different and unexpected entry of the table")
    func auditFindings() throws {
        let runbook = try parse(
            """
            ```console
            director# ipvsadm -A -t 192.168.1.110:80 -s wrr
            director# ipvsadm -a -t 192.168.1.110:80 -r 192.168.1.3 -m -w 2
            director# ipvsadm -a -t 192.168.1.110:80 -r 192.168.1.5 -m
            ```
            """)
        let rules = runbook.steps.compactMap { step in step.ipvs.map { ($0, step.line) } }
        let context = AuditFinding(
            host: "director", target: .local, kind: .ipvs, subject: "", expected: nil, actual: nil, verdict: .ok,
            detail: nil, file: "test.md", line: 0)
        let findings = Auditor.ipvsFindings(rules, live: ProcIPVS.parse(Self.procText), context: context)
        let verdicts = findings.map { "\($0.subject): \($0.verdict.rawValue)" }
        #expect(
            verdicts == [
                "tcp 192.168.1.110:80: drift",  // rr, not wrr
                "tcp 192.168.1.110:80 -> 192.168.1.3:80: ok",
                "tcp 192.168.1.110:80 -> 192.168.1.5:80: drift",  // missing
                "tcp 192.168.1.110:80 -> 192.168.1.4:80: drift",  // not the runbook's
            ])
        let none = Auditor.ipvsFindings(rules, live: nil, context: context)
        #expect(none.map(\.verdict) == [.notAudited])
    }

    @Test("ipvsadm -Ln output documented after the command is its expected table")
    func listing() throws {
        let runbook = try parse(
            """
            ```console
            director# ipvsadm -L -n
            IP Virtual Server version 1.2.1 (size=4096)
            Prot LocalAddress:Port Scheduler Flags
              -> RemoteAddress:Port           Forward Weight ActiveConn InActConn
            TCP  192.168.1.110:80 wrr persistent 50
              -> 192.168.1.2:80               Masq    2      0          0
              -> 127.0.0.1:80                 Local   1      0          0
            ```
            """)
        #expect(
            runbook.steps.first?.shellCommand?.expect?.ipvs == [
                IPVSService(
                    serviceProtocol: .tcp, service: "192.168.1.110:80", scheduler: "wrr", persistent: 50,
                    servers: [
                        .init(address: "192.168.1.2:80", forwarding: .masq, weight: 2),
                        .init(address: "127.0.0.1:80", forwarding: nil, weight: 1),
                    ])
            ])
        #expect(PlanRenderer.summary(runbook.steps[0]) == "ipvsadm -L -n; expect 1 IPVS service")
    }

    @Test("ipvsadm -L without -n names hosts, not addresses: its output stays text")
    func namedListing() throws {
        let runbook = try parse(
            "```console\n# ipvsadm -L\nTCP  www.example.com:http rr\n  -> rs1:http  Masq 1 0 0\n```\n")
        #expect(runbook.steps.first?.shellCommand?.expect?.ipvs == nil)
    }

    @Test("--format ipvs writes the director's table as ipvsadm-restore reads it")
    func exportRules() throws {
        let result = try runCLI(["export", "runbooks/one-network-nat.md", "--format", "ipvs"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout == """
                -A -t 192.168.1.110:80 -s wrr
                -a -t 192.168.1.110:80 -r 192.168.1.2:80 -m -w 2
                -a -t 192.168.1.110:80 -r 192.168.1.3:80 -m -w 1
                -a -t 192.168.1.110:80 -r 192.168.1.4:80 -m -w 1

                """)
    }

    @Test("--format ipvs folds the rules: deletions and edits leave the end state")
    func exportFolds() throws {
        let runbook = try parse(
            """
            ```sh
            ipvsadm -A -t 10.0.0.1:80 -s rr
            ipvsadm -a -t 10.0.0.1:80 -r 10.0.0.2 -g
            ipvsadm -a -t 10.0.0.1:80 -r 10.0.0.3 -g
            ipvsadm -d -t 10.0.0.1:80 -r 10.0.0.2
            ipvsadm -E -t 10.0.0.1:80 -s lc -p 60
            ipvsadm -A -u 10.0.0.1:53
            ipvsadm -D -u 10.0.0.1:53
            ```
            """)
        let text = try Exporter().render(runbook, as: .ipvs, host: nil)
        #expect(text == "-A -t 10.0.0.1:80 -s lc -p 60\n-a -t 10.0.0.1:80 -r 10.0.0.3:80 -g -w 1\n")
    }

    @Test("a // note after an ipvsadm rule is not passed to ipvsadm: the rule is typed without it, with a warning")
    func slashNote() throws {
        let runbook = try parse("```console\n# ipvsadm -a -t 10.0.0.1:80 -r 10.0.0.2:80 -g -w 1 //-g 表示使用DR模式\n```\n")
        #expect(runbook.steps.first?.ipvs?.summary == "add-server tcp 10.0.0.1:80 -> 10.0.0.2:80 route weight 1")
        #expect(runbook.warnings.contains { $0.message.contains("is not a shell comment") })
    }
}
