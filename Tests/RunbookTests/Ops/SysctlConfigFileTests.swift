import Foundation
import RunbookTestSupport
import Testing

@testable import RunbookCore
@testable import RunbookExport
@testable import RunbookOps

@Suite("Persisted sysctl files")
struct SysctlConfigFileTests {
    @Test("an existing key is updated in place; comments, spacing and other keys stay")
    func updateInPlace() {
        let text =
            "# kernel tuning\nvm.swappiness=10\n\n; redirects\nnet.ipv4.conf.all.send_redirects  =   1\nkernel.sysrq = 0\n"
        #expect(
            SysctlConfigFile.setting("net.ipv4.conf.all.send_redirects", to: "0", in: text)
                == "# kernel tuning\nvm.swappiness=10\n\n; redirects\nnet.ipv4.conf.all.send_redirects  =   0\nkernel.sysrq = 0\n"
        )
    }

    @Test("an absent key is appended once; setting it again changes nothing")
    func append() throws {
        let first = try #require(SysctlConfigFile.setting("net.ipv4.ip_forward", to: "1", in: "# empty\n"))
        #expect(first == "# empty\nnet.ipv4.ip_forward = 1\n")
        #expect(SysctlConfigFile.setting("net.ipv4.ip_forward", to: "1", in: first) == nil)
    }

    @Test("keys match whatever their spelling in the file")
    func spelling() {
        #expect(SysctlConfigFile.setting("net.ipv4.ip_forward", to: "1", in: "net/ipv4/ip_forward = 1\n") == nil)
    }

    @Test("values compare as procps does, by whitespace-separated fields")
    func fields() {
        #expect(SysctlConfigFile.sameValue("4096\t87380   6291456", "4096 87380 6291456"))
        #expect(!SysctlConfigFile.sameValue("1", "10"))
    }

    @Test("the file is replaced atomically, keeping its mode, with no temporary file left")
    func atomicReplace() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "runbook-conf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("sysctl.conf").path
        try "# keep\n".write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        let local = DirectState(target: .local)
        #expect(try SysctlConfigFile.set("vm.swappiness", to: "5", inFileAt: path, on: local) == .some("# keep\n"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "# keep\nvm.swappiness = 5\n")
        #expect((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["sysctl.conf"])
        #expect(try SysctlConfigFile.set("vm.swappiness", to: "5", inFileAt: path, on: local) == nil)
    }
}
