import RunbookCore

/// The view model of `sysctl.conf.mustache`: a sysctl.d drop-in for one host.
enum SysctlExport {
    struct File: ExportView {
        static let template = "sysctl.conf"

        var source: String
        var host: String?
        var settings: [Setting]
    }

    struct Setting {
        var key, value: String
        var line: Int
    }

    static func model(_ runbook: Runbook, host: String?) throws(UsageProblem) -> File {
        let steps = runbook.steps.filter { host == nil || $0.host == host }
        if host == nil, Set(steps.compactMap(\.host)).count > 1 {
            throw UsageProblem(
                description:
                    "a sysctl.d file is for one host; choose one with --host (hosts: \(runbook.hosts.joined(separator: ", ")))"
            )
        }
        // The last value of a key wins, at the place of its last setting: what `sysctl -p` of
        // the whole sequence would leave.
        var settings: [Setting] = []
        for step in steps {
            guard case .sysctl(let setting) = step.action else { continue }
            settings.removeAll { $0.key == setting.key }
            settings.append(Setting(key: setting.key, value: setting.value, line: step.line))
        }
        return File(source: ExportText.comment(runbook.file), host: host.map(ExportText.comment), settings: settings)
    }
}
