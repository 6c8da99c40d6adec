import RunbookTestSupport
import Testing

@testable import RunbookCore

/// How real runbooks say which file a setting belongs in, found in the labelled corpus.
@Suite("Sysctl settings and the file they belong in")
struct SettingFileTests {
    @Test("lines typed after vi /etc/sysctl.conf are settings of that file")
    func typedIntoEditor() throws {
        let runbook = try parse(
            "```console\n$ sudo vi /etc/sysctl.conf\n...\n# Enable IP Forwarding\nnet.ipv4.ip_forward = 1\n```\n")
        #expect(
            runbook.steps.compactMap(\.sysctl) == [
                SysctlSetting(key: "net.ipv4.ip_forward", value: "1", persist: "/etc/sysctl.conf")
            ])
    }

    @Test("a config block takes the file the section's prose names")
    func proseNamesFile() throws {
        let runbook = try parse(
            "## Tune\n\nEdit /etc/sysctl.d/90-net.conf:\n\nThen add:\n\n```\nnet.core.somaxconn = 1024\n```\n")
        #expect(runbook.steps.first?.sysctl?.persist == "/etc/sysctl.d/90-net.conf")
    }

    @Test("settings without a file belong to the one the sysctl -p after them loads")
    func loadedBySysctlP() throws {
        let runbook = try parse("```\nnet.ipv4.ip_forward = 1\n```\n\nApply:\n\n```sh\nsysctl -p\n```\n")
        #expect(runbook.steps.first?.sysctl?.persist == "/etc/sysctl.conf")
    }

    @Test("a comment after a value is not part of it, and the line is reported as invalid for procps")
    func inlineComment() throws {
        let runbook = try parse("```\nnet.core.somaxconn = 16384 # accept queue\n```\n")
        #expect(runbook.steps.first?.sysctl?.value == "16384")
        #expect(runbook.warnings.first?.message.contains("procps reads no inline comments") == true)
    }

    @Test("a placeholder key documents the shape of keys and is neither a setting nor an error")
    func placeholderKey() throws {
        let runbook = try parse("```\nnet.core.{option} = /proc/sys/net/core/{option}\n```\n")
        #expect(runbook.steps.isEmpty)
    }

    @Test("a heredoc into sysctl.d is read whatever the block's label")
    func mislabelledHeredoc() throws {
        let runbook = try parse(
            "``` python\ncat <<EOF > /etc/sysctl.d/k8s.conf\nnet.ipv4.ip_forward=1\nvm.swappiness=0\nEOF\nsysctl --system\n```\n"
        )
        #expect(
            runbook.steps.compactMap(\.sysctl).map(\.persist) == ["/etc/sysctl.d/k8s.conf", "/etc/sysctl.d/k8s.conf"])
    }

    @Test("tee > FILE <<EOF writes the file")
    func teeRedirect() throws {
        let runbook = try parse(
            "```shell\n[root@rs1 ~]# tee > /etc/sysctl.conf << EOF\nnet.ipv4.conf.lo.arp_ignore = 1\nEOF\n```\n")
        #expect(runbook.steps.first?.sysctl?.persist == "/etc/sysctl.conf")
        #expect(runbook.steps.first?.host == "rs1")
    }

    @Test("a heredoc inside sh -c '...' writes the file it names")
    func shellC() throws {
        let runbook = try parse(
            "```\nsudo sh -c 'cat << EOF >> /etc/sysctl.conf\nnet.core.somaxconn = 32768\nEOF'\n```\n")
        #expect(
            runbook.steps.first?.sysctl
                == SysctlSetting(key: "net.core.somaxconn", value: "32768", persist: "/etc/sysctl.conf"))
    }

    @Test("sysctl -w KEY = VALUE, spaced as in sysctl.conf, and /sbin/sysctl are settings")
    func spacedAssignment() throws {
        let runbook = try parse(
            "```sh\nsudo sysctl -w net.core.somaxconn = 16384\n/sbin/sysctl -w net.ipv4.route.flush=1\n```\n")
        #expect(runbook.steps.compactMap(\.sysctl).map(\.key) == ["net.core.somaxconn", "net.ipv4.route.flush"])
    }

    @Test("what sysctl -a printed is output, not a setting")
    func printedSettings() throws {
        let runbook = try parse("```bash\nsysctl -a | grep net.ipv4.ip_forward\nnet.ipv4.ip_forward = 1\n```\n")
        #expect(runbook.steps.compactMap(\.sysctl).isEmpty)
    }
}

/// Which lines of a block are commands.
@Suite("Commands, output and notes")
struct CommandLineTests {
    @Test("pasted output in a shell block is not run, and the block says so")
    func pastedOutput() throws {
        let runbook = try parse(
            "```bash\nip -4 addr show docker0\n3: docker0: <BROADCAST,MULTICAST,UP> mtu 1500\n    inet 172.17.0.1/16 brd 172.17.255.255 scope global docker0\n```\n"
        )
        #expect(runbook.steps.map(\.command) == ["ip -4 addr show docker0"])
        #expect(runbook.warnings.first?.message.contains("2 lines of this block are not a command") == true)
    }

    @Test("a script to save (#! first) yields no steps, with a warning")
    func scriptFile() throws {
        let runbook = try parse("```bash\n#!/bin/bash\nipvsadm -C\n```\n")
        #expect(runbook.steps.isEmpty)
        #expect(runbook.warnings.first?.message.contains("'#!'") == true)
    }

    @Test("a file of NAME=value lines is a file, not commands")
    func assignmentsFile() throws {
        let runbook = try parse("```\nTYPE=Ethernet\nBOOTPROTO=static\nIPADDR=192.168.10.99\n```\n")
        #expect(runbook.steps.isEmpty)
    }

    @Test("a program Debian ships counts as a command in an unlabelled block")
    func debianVocabulary() throws {
        let runbook = try parse("```\nwg genkey\nnano /etc/wireguard/wg0.conf\n```\n")
        #expect(runbook.steps.map(\.command) == ["wg genkey", "nano /etc/wireguard/wg0.conf"])
    }

    @Test("a block that yields nothing although a line reads as a command says so")
    func droppedBlockWarns() throws {
        let runbook = try parse("```conf\nulimit -n 102400\n```\n")
        #expect(runbook.steps.isEmpty)
        #expect(runbook.warnings.first?.message.contains("yields no steps") == true)
    }

    @Test("what cat printed is output, assignments included")
    func catOutput() throws {
        let runbook = try parse(
            "```bash\ncat /run/flannel/subnet.env\nFLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_MTU=1450\n```\n")
        #expect(runbook.steps.map(\.command) == ["cat /run/flannel/subnet.env"])
    }

    @Test("prose that starts with a shell keyword is not a loop")
    func forProse() {
        #expect(!CommandNames.looksLikeCommandLine("for each incoming interface"))
        #expect(CommandNames.looksLikeCommandLine("for HOST in a b; do ssh $HOST uptime; done"))
    }

    @Test("a command with a comment in another script is not a prompt")
    func commentNotPrompt() throws {
        let runbook = try parse("```\ncat /proc/sys/vm/nr_hugepages # 查看大内存页的数量\n```\n")
        #expect(runbook.steps.first?.host == nil)
        #expect(runbook.steps.first?.command == "cat /proc/sys/vm/nr_hugepages # 查看大内存页的数量")
    }

    @Test("a closing fence glued to the last command is left out of it")
    func gluedFence() throws {
        let runbook = try parse("```sh\nsudo ifdown eth0; sudo ifup eth0 ```\n")
        #expect(runbook.steps.first?.command == "sudo ifdown eth0; sudo ifup eth0")
        #expect(runbook.warnings.contains { $0.message.contains("glued") })
    }

    @Test("a named prompt is read in a block labelled as something else")
    func promptInYaml() throws {
        let runbook = try parse("```yaml\n[root@rs1 ~]# echo 1 > /proc/sys/net/ipv4/conf/lo/arp_ignore\n```\n")
        #expect(runbook.steps.first?.sysctl?.key == "net.ipv4.conf.lo.arp_ignore")
        #expect(runbook.steps.first?.host == "rs1")
    }
}

/// Found by the fuzz target (bench/fuzz.sh): output was taken for what a command of an earlier
/// section printed, which a document read in parts cannot see.
@Suite("Output and its command share a section")
struct OutputSectionTests {
    @Test("an assignment under a later heading is not what an earlier section's sysctl printed")
    func sameWholeAndInParts() throws {
        let markdown = "# A\n\n```sh\nsysctl -a\n```\n\n# B\n\n```sh\nTYPE==1\nls -l /tmp\n```\n"
        let whole = try Runbook.parse(markdown: markdown, file: "t.md", minimumPart: .max / 4)
        let parts = try Runbook.parse(markdown: markdown, file: "t.md", minimumPart: 1)
        #expect(whole.steps == parts.steps)
        #expect(whole.warnings == parts.warnings)
    }
}
