import Foundation
import RunbookTestSupport
import Testing

@testable import RunbookCore
@testable import RunbookExport
@testable import RunbookOps

@Suite("runbook/v1 JSON")
struct JSONTests {
    @Test("strings are escaped; non-ASCII stays UTF-8")
    func escaping() {
        var writer = JSONWriter()
        writer.beginArray()
        writer.string("a\"b\\c\nd\te\u{1}f 中文")
        writer.int(3)
        writer.nullValue()
        writer.endArray()
        #expect(String(decoding: writer.bytes, as: UTF8.self) == "[\"a\\\"b\\\\c\\nd\\te\\u0001f 中文\",3,null]")
    }

    @Test("the document is valid JSON with one step per line")
    func valid() throws {
        let runbook = try parse(
            "# T\n\n```console\nh$ ip route\ndefault via 10.0.0.1 dev eth0\nh$ sysctl -w vm.swappiness=1\n```\n")
        let bytes = runbook.json()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(object["schema"] as? String == "runbook/v1")
        #expect((object["steps"] as? [Any])?.count == 2)
        #expect(
            String(decoding: bytes, as: UTF8.self).split(separator: "\n").filter { $0.hasPrefix("{\"index\":") }.count
                == 2)
    }

    @Test("command steps always carry command, and expect null when nothing is documented")
    func commandFields() throws {
        let runbook = try parse("```sh\nuname\n```\n")
        let object = try JSONSerialization.jsonObject(with: Data(runbook.json())) as? [String: Any]
        let step = try #require((object?["steps"] as? [[String: Any]])?.first)
        #expect(step["command"] as? String == "uname")
        #expect(step["expect"] is NSNull)
    }
}
