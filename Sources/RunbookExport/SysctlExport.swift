import RunbookCore

/// The view model of `sysctl.conf.mustache`: a sysctl.d drop-in for one host.
enum SysctlExport {
    static func model(_ runbook: Runbook, host: String?) throws(Exporter.Failure) -> [String: Any] {
        let steps = runbook.steps.filter { host == nil || $0.host == host }
        if host == nil, Set(steps.compactMap(\.host)).count > 1 {
            throw Exporter.Failure(
                description:
                    "a sysctl.d file is for one host; choose one with --host (hosts: \(runbook.hosts.joined(separator: ", ")))"
            )
        }
        // The last value of a key wins, at the place of its last setting: what `sysctl -p` of
        // the whole sequence would leave.
        var settings: [(key: String, value: String, line: Int)] = []
        for step in steps {
            guard case .sysctl(let setting) = step.action else { continue }
            settings.removeAll { $0.key == setting.key }
            settings.append((setting.key, setting.value, step.line))
        }
        return [
            "source": ExportText.comment(runbook.file),
            "host": host.map(ExportText.comment) as Any,
            "settings": settings.map { ["key": $0.key, "value": $0.value, "line": $0.line] as [String: Any] },
        ]
    }
}
