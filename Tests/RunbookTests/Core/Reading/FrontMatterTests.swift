import RunbookTestSupport
import Testing

@testable import RunbookCore
@testable import RunbookExport
@testable import RunbookOps

@Suite("YAML front matter")
struct FrontMatterTests {
    @Test("front matter is parsed, removed, and line numbers still count the file's lines")
    func lines() throws {
        let runbook = try parse(
            """
            ---
            layout: post
            title: "One Network LVS-NAT"
            ---

            ```sh
            sysctl -w net.ipv4.ip_forward=1
            ```
            """)
        #expect(runbook.title == "One Network LVS-NAT")
        #expect(runbook.frontMatter?.lineCount == 4)
        #expect(runbook.steps.first?.line == 7)
    }

    @Test("`...` also closes front matter")
    func dots() throws {
        let runbook = try parse("---\ntitle: x\n...\n# Heading\n")
        #expect(runbook.title == "x")
    }

    @Test("without front matter the title is the first heading")
    func headingTitle() throws {
        #expect(try parse("Intro\n\n## Set up\n\n# Main\n").title == "Set up")
    }

    @Test("invalid YAML is an error at its line in the file")
    func invalidYAML() {
        let errors = parseErrors("---\ntitle: ok\nbad: [unclosed\n---\n")
        #expect(errors.count == 1)
        #expect(errors.first.map { $0.location.line >= 3 } == true, "\(errors)")
        #expect(errors.first?.message.hasPrefix("invalid YAML in front matter") == true)
    }

    @Test(
        "a lab probe or counter that is not one is an error at its line",
        arguments: [
            ("{from: a}", "a lab probe is"),
            ("{from: a, to: \"10.0.0.2:80\", ping: 10.0.0.2, expect: {after: answered}}", "a lab probe is"),
            ("{from: a, ping: 10.0.0.2, expect: {after: maybe}}", "a lab probe is"),
            ("{from: a, ping: 10.0.0.2, count: 500, expect: {after: answered}}", "count must be 1 to 64"),
        ])
    func labProbe(_ example: (probe: String, message: String)) {
        let errors = parseErrors(
            "---\nlab:\n  hosts:\n    - {name: a, addresses: [10.0.0.1/24]}\n  probes:\n    - \(example.probe)\n---\n")
        #expect(errors.first?.location.line == 6)
        #expect(errors.first?.message.contains(example.message) == true, "\(errors)")
    }

    @Test("a lab host's role defaults to its name; routes, listen, probes and counters are read")
    func labDeclaration() throws {
        let runbook = try parse(
            """
            ---
            lab:
              hosts:
                - {name: a, addresses: [10.0.0.1/24], routes: ["default via 10.0.0.254"], listen: [80/tcp]}
              probes:
                - {from: a, to: "10.0.0.1:80", count: 3, expect: {before: failed, after: rotates}}
              counters:
                - {host: a, name: IcmpOutRedirects, after: 0}
            ---
            """)
        let lab = try #require(runbook.frontMatter?.lab)
        #expect(lab.hosts[0].role == "a")
        #expect(lab.hosts[0].routes == ["default via 10.0.0.254"])
        #expect(lab.hosts[0].listen == ["80/tcp"])
        #expect(lab.probes.first?.count == 3)
        #expect(lab.probes.first?.before == .failed)
        #expect(lab.probes.first?.after == .rotates)
        #expect(lab.counters.first?.after == 0)
    }

    @Test("front matter that is not a mapping is an error")
    func notMapping() {
        #expect(
            parseErrors("---\n- a\n- b\n---\n").first?.message
                == "front matter must be a YAML mapping (key: value lines)")
    }

    @Test("front matter that is never closed is an error at line 1")
    func unclosed() {
        let errors = parseErrors("---\ntitle: x\n\nbody\n")
        #expect(errors.first?.location.line == 1)
        #expect(errors.first?.message.contains("never closed") == true)
    }

    @Test("a thematic break that is not `---` alone is not front matter")
    func thematicBreak() throws {
        #expect(try parse("----\n\n# Title\n").frontMatter == nil)
    }

    @Test("front matter with CRLF line ends is read, targets included")
    func crlf() throws {
        let runbook = try parse("---\r\ntitle: x\r\ntargets:\r\n  director: netns:d1\r\n---\r\n# Body\r\n")
        #expect(runbook.title == "x")
        #expect(
            runbook.frontMatter?.targets == [FrontMatter.RoleTargets(role: "director", targets: ["netns:d1"], line: 4)])
    }

    @Test("targets that are not a mapping are an error at their line, not ignored")
    func targetsNotMapping() {
        let errors = parseErrors("---\ntitle: x\ntargets: [a, b]\n---\n")
        #expect(errors.first?.location.line == 3)
        #expect(errors.first?.message.contains("'targets:' must map roles") == true)
    }

    @Test("a vars name that is not a shell identifier is an error at its line")
    func variableName() {
        let errors = parseErrors("---\nvars:\n  X: 1\n  \"A;touch /tmp/x\": 2\n---\n")
        #expect(errors.first?.location.line == 4)
        #expect(errors.first?.message.contains("not a shell identifier") == true)
    }

    @Test("a lab host without addresses is an error at its line")
    func labHost() {
        let errors = parseErrors("---\nlab:\n  hosts:\n    - {name: d, role: director, addresses: []}\n---\n")
        #expect(errors.first?.location.line == 4)
    }
}
