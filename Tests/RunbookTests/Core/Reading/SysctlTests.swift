import RunbookTestSupport
import Testing

@testable import RunbookCore
@testable import RunbookExport
@testable import RunbookOps

@Suite("sysctl settings")
struct SysctlTests {
    private func settings(_ markdown: String) throws -> [SysctlSetting] {
        try parse(markdown).steps.compactMap(\.sysctl)
    }

    @Test(
        "spellings of a runtime write",
        arguments: [
            "echo 0 > /proc/sys/net/ipv4/conf/all/send_redirects",
            "echo 0 >> /proc/sys/net/ipv4/conf/all/send_redirects",
            "echo \"0\" > /proc/sys/net/ipv4/conf/all/send_redirects",
            "printf 0 > /proc/sys/net/ipv4/conf/all/send_redirects",
            "printf '%s\\n' 0 > /proc/sys/net/ipv4/conf/all/send_redirects",
            "echo 0 | tee /proc/sys/net/ipv4/conf/all/send_redirects",
            "echo 0 | sudo tee -a /proc/sys/net/ipv4/conf/all/send_redirects > /dev/null",
            "sysctl -w net.ipv4.conf.all.send_redirects=0",
            "sysctl net.ipv4.conf.all.send_redirects=0",
            "sudo sysctl -w net/ipv4/conf/all/send_redirects=0",
        ])
    func spelling(_ command: String) throws {
        let found = try settings("```sh\n\(command)\n```\n")
        #expect(
            found == [
                SysctlSetting(key: "net.ipv4.conf.all.send_redirects", value: "0", persist: nil, command: command)
            ])
    }

    @Test("sysctl -w with several pairs gives one step per pair")
    func severalPairs() throws {
        let found = try settings(
            "```sh\nsysctl -w net.ipv4.ip_forward=1 net.ipv4.tcp_rmem=\"4096 87380 6291456\"\n```\n")
        #expect(found.map(\.key) == ["net.ipv4.ip_forward", "net.ipv4.tcp_rmem"])
        #expect(found.map(\.value) == ["1", "4096 87380 6291456"])
    }

    @Test("a config block persists to the file named in the paragraph before it")
    func configBlock() throws {
        let runbook = try parse(
            """
            Add to `/etc/sysctl.d/90-lvs.conf` and run `sysctl -p`:

            ```
            # no redirects
            net.ipv4.conf.all.send_redirects = 0
            ; the interface too
            net.ipv4.conf.eth0.send_redirects=0
            ```
            """)
        #expect(runbook.steps.map(\.line) == [5, 7])
        #expect(
            runbook.steps.compactMap(\.sysctl?.persist) == ["/etc/sysctl.d/90-lvs.conf", "/etc/sysctl.d/90-lvs.conf"])
        #expect(runbook.steps.allSatisfy { $0.sysctl?.command == nil })
    }

    @Test("a config block without a named file has no persist")
    func configBlockNoFile() throws {
        let found = try settings("Set:\n\n```ini\nvm.swappiness = 10\n```\n")
        #expect(found == [SysctlSetting(key: "vm.swappiness", value: "10", persist: nil, command: nil)])
    }

    @Test(
        "a heredoc into a sysctl.d file gives one step per line and no command step",
        arguments: [
            "cat <<EOF | sudo tee /etc/sysctl.d/k8s.conf",
            "cat <<EOF | tee -a /etc/sysctl.d/k8s.conf",
            "cat > /etc/sysctl.d/k8s.conf <<EOF",
            "cat <<EOF >> /etc/sysctl.d/k8s.conf",
            "sudo tee /etc/sysctl.d/k8s.conf <<EOF",
        ])
    func heredoc(_ opening: String) throws {
        let runbook = try parse(
            "```bash\n\(opening)\nnet.ipv4.ip_forward = 1\nnet.bridge.bridge-nf-call-iptables = 1\nEOF\nsysctl --system\n```\n"
        )
        #expect(runbook.steps.map(\.kind) == [.sysctl, .sysctl, .command])
        #expect(runbook.steps.compactMap(\.sysctl?.persist) == ["/etc/sysctl.d/k8s.conf", "/etc/sysctl.d/k8s.conf"])
        #expect(runbook.steps.map(\.line) == [3, 4, 6])
    }

    @Test("echo of a config line into /etc/sysctl.conf persists it")
    func echoIntoConfig() throws {
        let found = try settings("```\n# echo \"net.ipv4.ip_forward=1\" >> /etc/sysctl.conf\n```\n")
        #expect(
            found == [
                SysctlSetting(
                    key: "net.ipv4.ip_forward", value: "1", persist: "/etc/sysctl.conf",
                    command: "echo \"net.ipv4.ip_forward=1\" >> /etc/sysctl.conf")
            ])
    }

    @Test("a VLAN interface's dot is written as / in the dotted key")
    func vlanKey() throws {
        let found = try settings(
            "```sh\necho 2 > /proc/sys/net/ipv4/conf/eth0.100/rp_filter\nsysctl -w net/ipv4/conf/eth0.100/arp_ignore=1\n```\n"
        )
        #expect(found.map(\.key) == ["net.ipv4.conf.eth0/100.rp_filter", "net.ipv4.conf.eth0/100.arp_ignore"])
        #expect(SysctlKey.procPath("net.ipv4.conf.eth0/100.rp_filter") == "/proc/sys/net/ipv4/conf/eth0.100/rp_filter")
    }

    @Test("a value only a shell knows stays a plain command")
    func expansion() throws {
        let runbook = try parse(
            "```sh\necho $V > /proc/sys/net/ipv4/ip_forward\nsysctl -w net.ipv4.ip_forward=$V\n```\n")
        #expect(runbook.steps.map(\.kind) == [.command, .command])
    }

    @Test("brace expansion in a redirection is a warning and stays a command")
    func braces() throws {
        let runbook = try parse("```sh\necho 0 > /proc/sys/net/ipv4/conf/{all,eth0}/send_redirects\n```\n")
        #expect(runbook.steps.map(\.kind) == [.command])
        #expect(runbook.warnings.first?.message.contains("brace expansion") == true)
    }

    @Test(
        "invalid keys are errors with the line",
        arguments: [
            ("```\nnet.ipv4..ip_forward = 1\n```\n", 2, "empty component"),
            ("```sh\nsysctl -w 'net.ipv4.ip forward=1'\n```\n", 2, "a space"),
            ("```\nnet.ipv4.$(reboot) = 1\n```\n", 2, "'$'"),
            ("```sh\nsysctl -w /net/ipv4/ip_forward=1\n```\n", 2, "starts with '/'"),
        ])
    func invalidKey(_ markdown: String, line: Int, reason: String) {
        let errors = parseErrors(markdown)
        #expect(errors.count == 1)
        #expect(errors.first?.location.line == line)
        #expect(errors.first?.message.contains(reason) == true, "\(errors)")
    }

    @Test("a per-interface key cut short in the doc is a warning")
    func cutShort() throws {
        let runbook = try parse("```console\n# echo 1 > /proc/sys/net/ipv4/conf/al\n```\n")
        #expect(runbook.steps.first?.sysctl?.key == "net.ipv4.conf.al")
        #expect(runbook.warnings.first?.message.contains("is the path cut short?") == true)
    }

    @Test("lines of other files are not sysctl settings")
    func notSysctl() throws {
        let runbook = try parse("```ini\n[section]\nname.first = x\n```\n")
        #expect(runbook.steps.isEmpty)
    }
}
