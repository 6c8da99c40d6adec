/// Tells a block of commands without prompts or a language from a block of output, a diagram or
/// a config file. Only a known command name (or an explicit path) counts: guessing from shape
/// would turn output like `ipvsadm-1.27-7.el7.x86_64` into a step that a user might run.
enum CommandNames {
    static let known: Set<Substring> = [
        "apt", "apt-get", "arp", "arping", "awk", "bash", "brctl", "cat", "cd", "chmod", "chown", "cp", "crontab",
        "curl", "dig", "dnf", "docker", "echo", "ethtool", "export", "firewall-cmd", "git", "grep", "helm", "hostname",
        "hostnamectl", "ifconfig", "ifdown", "ifup", "insmod", "install", "ip", "ip6tables", "ipset", "iptables",
        "iptables-restore", "iptables-save", "ipvsadm", "journalctl", "kill", "kubeadm", "kubectl", "ln", "ls", "lsmod",
        "make", "mkdir", "modprobe", "mount", "mv", "nc", "netstat", "nft", "nmcli", "nslookup", "ping", "printf",
        "ps", "rm", "rmmod", "route", "rpm", "scp", "sed", "service", "setenforce", "sh", "ss", "ssh", "sudo",
        "swapoff", "sysctl", "systemctl", "tar", "tc", "tcpdump", "tee", "timedatectl", "touch", "traceroute",
        "ufw", "umount", "useradd", "vi", "vim", "wget", "yum", "zypper",
    ]

    /// Whether every such line could be typed at a shell: blank lines, `#` comments,
    /// continuation lines and lines starting with a known command or a path.
    static func looksLikeCommandLine(_ line: Substring) -> Bool {
        let text = line.trimmingSpaces
        if text.isEmpty || text.hasPrefix("#") { return true }
        var words = text.split(separator: " ", omittingEmptySubsequences: true)[...]
        while let first = words.first, first.contains("="), !first.hasPrefix("=") { words = words.dropFirst() }
        guard let name = words.first else { return false }
        return known.contains(name) || name.hasPrefix("./") || (name.hasPrefix("/") && name.count > 1)
    }
}
