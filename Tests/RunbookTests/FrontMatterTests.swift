import Testing
@testable import RunbookCore
@testable import RunbookExport
@testable import RunbookOps

@Suite("YAML front matter")
struct FrontMatterTests {
    @Test("front matter is parsed, removed, and line numbers still count the file's lines")
    func lines() throws {
        let runbook = try parse("""
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

    @Test("front matter that is not a mapping is an error")
    func notMapping() {
        #expect(parseErrors("---\n- a\n- b\n---\n").first?.message == "front matter must be a YAML mapping (key: value lines)")
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
}
