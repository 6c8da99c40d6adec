import Testing
@testable import Runbook

@Suite("runbook/v1 JSON")
struct JSONTests {
    @Test("strings are escaped; non-ASCII stays UTF-8")
    func escaping() {
        let json = JSON.array([.string("a\"b\\c\nd\te\u{1}f 中文")])
        #expect(String(decoding: json.serialized(), as: UTF8.self) == "[\n  \"a\\\"b\\\\c\\nd\\te\\u0001f 中文\"\n]\n")
    }

    @Test("command steps always carry command, and expect null when nothing is documented")
    func commandFields() throws {
        let step = try #require(try parse("```sh\nuname\n```\n").steps.first)
        guard case .object(let members) = step.json else { Issue.record("not an object"); return }
        let names = members.map(\.0)
        #expect(names == ["index", "line", "section", "host", "cwd", "user", "kind", "command", "expect"])
        #expect(members.last!.1 == .null)
    }
}
