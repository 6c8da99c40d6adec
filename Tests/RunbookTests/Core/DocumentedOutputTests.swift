import Foundation
import RunbookTestSupport
import Testing

@testable import RunbookCore

/// `audit --update` writes a command's new output where the reader found the documented one.
@Suite("documented output rewriting")
struct DocumentedOutputTests {
    @Test("a table a blank line below its command is replaced where it stands, the blank line kept")
    func tableBelowBlankLine() throws {
        let markdown = """
            ```sh
            route -n

            Kernel IP routing table
            Destination     Gateway         Genmask         Flags Metric Ref    Use Iface
            0.0.0.0         192.168.1.9     0.0.0.0         UG    0      0        0 eth0
            ```

            """
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "runbook-docout-\(UUID().uuidString).md"
        )
        .path
        try markdown.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let runbook = try Runbook.load(path: path)
        let step = try #require(runbook.steps.first)
        #expect(step.shellCommand?.expect?.outputLines == 4..<7)
        let actual = """
            Kernel IP routing table
            Destination     Gateway         Genmask         Flags Metric Ref    Use Iface
            0.0.0.0         192.168.1.1     0.0.0.0         UG    0      0        0 eth0

            """
        let result = try DocumentedOutput.update(file: path, with: [(step, actual)])
        #expect(result.changed == 1)
        #expect(
            try String(contentsOfFile: path, encoding: .utf8)
                == markdown.replacingOccurrences(of: "192.168.1.9", with: "192.168.1.1"))
    }
}
