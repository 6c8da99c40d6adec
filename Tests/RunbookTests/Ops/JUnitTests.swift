import Foundation
import RunbookTestSupport
import Testing

@testable import RunbookCore
@testable import RunbookOps

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The JUnit reports of exec, audit and lab run, as Jenkins and GitLab read them.
@Suite("JUnit reports")
struct JUnitTests {
    private let file = "doc.md"

    private func outcome(
        _ index: Int, _ verdict: StepOutcome.Verdict, on target: Target, host: String = "realserver"
    ) throws -> StepOutcome {
        let runbook = try parse("```sh\nip route del 10.0.0.0/8\n```\n")
        var step = runbook.steps[0]
        step.index = index
        step.host = host
        return StepOutcome(
            step: step, target: target, verdict: verdict, message: "message \(index)", started: 100, ended: 100.25)
    }

    private var findings: [AuditFinding] {
        let context = AuditFinding(
            host: "director", target: .netns("d"), kind: .sysctl, subject: "net.ipv4.ip_forward", expected: "1",
            actual: "0", verdict: .drift, detail: nil, file: file, line: 3, time: 0.0125)
        var unreachable = context
        unreachable.target = .ssh(user: nil, host: "rs9", port: nil)
        unreachable = unreachable.error("cannot reach ssh://rs9: Connection refused", since: Timestamp.now())
        var skipped = context
        skipped.verdict = .notAudited
        skipped.kind = .command
        var ok = context
        ok.verdict = .ok
        return [context, unreachable, skipped, ok]
    }

    @Test("times have at most three decimals, as junit-10.xsd's SUREFIRE_TIME allows")
    func seconds() {
        #expect(JUnit.seconds(0.25) == "0.250")
        #expect(JUnit.seconds(12.0004) == "12.000")
        #expect(JUnit.seconds(0.0005) == "0.001")
    }

    @Test("exec: a suite per target, a timed case per step; drift is a failure, a failed step an error")
    func execCases() throws {
        let outcomes = [
            try outcome(1, .changed, on: .netns("rs1")), try outcome(2, .drift, on: .netns("rs1")),
            try outcome(1, .failed, on: .netns("rs2")), try outcome(2, .skipped, on: .netns("rs2")),
        ]
        let document = try XMLDocument(xmlString: ExecReport(color: false).junit(outcomes, file: file))
        #expect(try document.nodes(forXPath: "//testsuite[@name='netns:rs1' and @hostname='netns:rs1']").count == 1)
        #expect(
            try document.nodes(forXPath: "//testcase[@classname='runbook.realserver' and @time='0.250']").count == 4)
        #expect(try document.nodes(forXPath: "//failure[@type='drift']").count == 1)
        #expect(try document.nodes(forXPath: "//error[@type='failed']").count == 1)
        #expect(
            try document.nodes(forXPath: "//testsuites[@errors='1' and @failures='1' and @time='1.000']").count == 1)
        let message = try #require(try document.nodes(forXPath: "//error/@message").first?.stringValue)
        #expect(message == "doc.md:2: message 1")
    }

    @Test("exec: the same step on two targets gives two names")
    func execNames() throws {
        let outcomes = [try outcome(3, .drift, on: .netns("rs1")), try outcome(3, .drift, on: .netns("rs2"))]
        let document = try XMLDocument(xmlString: ExecReport(color: false).junit(outcomes, file: file))
        let names = try document.nodes(forXPath: "//testcase/@name").compactMap(\.stringValue)
        #expect(Set(names).count == 2, "\(names)")
        #expect(names[0].hasPrefix("step 3 "), "\(names)")
    }

    @Test("audit: an unreachable target is an error case, not a failure")
    func auditUnreachable() throws {
        let document = try XMLDocument(xmlString: AuditReport(color: false).junit(findings))
        #expect(
            try document.nodes(forXPath: "//testsuite[@hostname='ssh://rs9']/testcase/error[@type='unreachable']").count
                == 1)
        #expect(try document.nodes(forXPath: "//testsuites[@errors='1' and @failures='1']").count == 1)
    }

    @Test(
        "exec, audit and lab run reports validate against junit-10.xsd",
        .enabled(if: canValidateJUnit, "no junit-10.xsd or xmllint here (scripts/test.sh fetches the schema)"))
    func schema() throws {
        let outcomes = [
            try outcome(1, .changed, on: .netns("rs1")), try outcome(2, .drift, on: .netns("rs1")),
            try outcome(3, .failed, on: .netns("rs1")), try outcome(4, .skipped, on: .netns("rs1")),
        ]
        var lab = LabRun.Report(lab: "rbt-x", balancer: nil)
        lab.outcomes = outcomes
        lab.findings = findings
        lab.checks = [("probe before: client -> VIP answered", false), ("probe after: client -> VIP <&> failed", true)]
        var broken = LabRun.Report(lab: "rbt-y", balancer: nil)
        broken.cannotBuild = "no director"
        for xml in [
            ExecReport(color: false).junit(outcomes, file: file), AuditReport(color: false).junit(findings),
            lab.junit(file: file), broken.junit(file: file),
        ] {
            #expect(try junitSchemaErrors(xml) == "", "\(xml)")
        }
    }
}
