import Foundation
@testable import RunbookCore
import RunbookExport
import Yams

/// libFuzzer's entry point for the exports. The input is cut into values (at NUL bytes) that
/// land where a runbook from the internet puts text: the title, a host name, a sysctl value,
/// a persist file name, a vars value. Each value is marked; the three exports are rendered,
/// and then:
/// - the shell script must pass `sh -n`, and every marker must sit in single quotes or in a
///   comment (data, never code);
/// - the playbook must parse as YAML, and every marker must be inside a scalar value;
/// - no marker may start a line of the sysctl file (a value never becomes a setting).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let values = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
        .split(separator: "\0", omittingEmptySubsequences: false).map { "RBX" + $0 }
    func value(_ index: Int) -> String { index < values.count ? String(values[index]) : "RBX" }
    let markdown = """
        ---
        title: \(yamlQuoted(value(0)))
        vars:
          NOTE: \(yamlQuoted(value(1)))
        ---

        ```console {host=web1}
        web1# sysctl -w net.ipv4.conf.all.rp_filter=1
        ```

        ```conf {host=\(value(2).filter { !$0.isNewline && !$0.isWhitespace && !"}=`~".contains($0) })}
        net.ipv4.ip_forward = 1
        ```

        Save it in `/etc/sysctl.d/90-\(value(3).filter { $0.isLetter || $0.isNumber }).conf`:

        ```conf
        net.core.somaxconn = \(value(4).filter { !$0.isNewline })
        ```
        """
    guard let runbook = try? Runbook.parse(markdown: markdown, file: "fuzz.md") else { return 0 }
    let exporter = Exporter()
    if let script = try? exporter.render(runbook, as: .shell, host: nil) {
        checkShell(script)
    }
    if let playbook = try? exporter.render(runbook, as: .ansible, host: nil) {
        checkYAML(playbook)
    }
    if let conf = try? exporter.render(runbook, as: .sysctl, host: "web1") {
        for line in conf.split(separator: "\n") where line.hasPrefix("RBX") {
            fatalError("a value became a line of the sysctl file:\n\(conf)")
        }
    }
    return 0
}

private func yamlQuoted(_ text: String) -> String {
    "\"" + text.unicodeScalars.map { scalar in
        scalar == "\"" || scalar == "\\" || scalar.value < 0x20 || scalar.value == 0x7F
            ? String(format: "\\u%04X", scalar.value) : String(scalar)
    }.joined() + "\""
}

/// `sh -n`, and every marker inside single quotes or a comment.
private func checkShell(_ script: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-n"]
    let input = Pipe()
    process.standardInput = input
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return }
    input.fileHandleForWriting.write(Data(script.utf8))
    try? input.fileHandleForWriting.close()
    process.waitUntilExit()
    if process.terminationStatus != 0 { fatalError("sh -n refuses the exported script:\n\(script)") }
    var quoted = false, comment = false, atWordStart = true
    let bytes = Array(script.utf8)
    var index = 0
    while index < bytes.count {
        let byte = bytes[index]
        if comment {
            if byte == 0x0A { comment = false }
        } else if quoted {
            if byte == UInt8(ascii: "'") { quoted = false }
        } else if byte == UInt8(ascii: "'") {
            quoted = true
        } else if byte == UInt8(ascii: "#"), atWordStart {
            comment = true
        } else if byte == UInt8(ascii: "\\") {
            index += 1
        } else if bytes[index...].starts(with: Array("RBX".utf8)), !inHostFunctionName(bytes, at: index) {
            let lineStart = bytes[..<index].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
            let lineEnd = bytes[index...].firstIndex(of: 0x0A) ?? bytes.count
            fatalError(
                "a runbook value is shell code outside quotes: \(String(decoding: bytes[lineStart..<lineEnd], as: UTF8.self))\n\(script)"
            )
        }
        atWordStart = byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == UInt8(ascii: ";")
        index += 1
    }
}

/// A host's function name (`host_` and the name encoded to letters, digits and `_`) carries the
/// marker as an identifier, which is no code.
private func inHostFunctionName(_ bytes: [UInt8], at index: Int) -> Bool {
    var start = index
    while start > 0, Bytes.isAlphanumeric(bytes[start - 1]) || bytes[start - 1] == UInt8(ascii: "_") { start -= 1 }
    let word = bytes[start...].prefix { Bytes.isAlphanumeric($0) || $0 == UInt8(ascii: "_") }
    return word.starts(with: Array("host_".utf8)) || word.starts(with: Array("verify_host_".utf8))
}

/// Parses as YAML, and every marker of the text is in a scalar value.
private func checkYAML(_ playbook: String) {
    let node: Node?
    do {
        node = try Yams.compose(yaml: playbook)
    } catch {
        fatalError("the playbook is not YAML (\(error)):\n\(playbook)")
    }
    func markers(_ text: String) -> Int { text.components(separatedBy: "RBX").count - 1 }
    func inValues(_ node: Node) -> Int {
        switch node {
        case .scalar(let scalar): return markers(scalar.string)
        case .mapping(let mapping):
            for key in mapping.keys where markers(key.string ?? "") > 0 {
                fatalError("a runbook value became a YAML key: \(key)\n\(playbook)")
            }
            return mapping.values.map(inValues).reduce(0, +)
        case .sequence(let sequence): return sequence.map(inValues).reduce(0, +)
        case .alias: return 0
        }
    }
    let found = node.map(inValues) ?? 0
    // Comments carry the title too; they are not YAML values.
    let inComments = playbook.split(separator: "\n").filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix("#") }
        .map { markers(String($0)) }.reduce(0, +)
    if found + inComments < markers(playbook) {
        fatalError("a runbook value is YAML structure, not a scalar:\n\(playbook)")
    }
}
