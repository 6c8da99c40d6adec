import Foundation
import Mustache
import RunbookCore

/// Renders a runbook into the formats fleets use, from the Mustache templates in `templates/`.
/// The Swift side only builds each format's view model; what the output looks like is the
/// templates' business, and a user may override any of them (`--templates DIR`).
public struct Exporter {
    public enum Format: String, CaseIterable, Sendable {
        case shell, sysctl, ansible, ipvs, json

        var template: String? {
            switch self {
            case .shell: "shell.sh"
            case .sysctl: "sysctl.conf"
            case .ansible: "playbook.yml"
            case .ipvs: "ipvsadm.rules"
            case .json: nil
            }
        }
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// A directory whose `NAME.mustache` files replace the bundled ones.
    public var templates: String?

    public init(templates: String? = nil) {
        self.templates = templates
    }

    /// The export of `runbook` (only `host`'s steps when given).
    public func render(_ runbook: Runbook, as format: Format, host: String?) throws(Failure) -> String {
        if let host, !runbook.hosts.contains(host) {
            throw Failure(
                description:
                    "no steps for host '\(host)' in \(runbook.file) (hosts: \(runbook.hosts.joined(separator: ", ")))")
        }
        let model: [String: Any]
        switch format {
        case .json:
            return String(decoding: runbook.json(), as: UTF8.self)
        case .sysctl:
            model = try SysctlExport.model(runbook, host: host)
        case .shell:
            model = ShellExport.model(runbook, host: host)
        case .ansible:
            model = AnsibleExport.model(runbook, host: host)
        case .ipvs:
            model = try IPVSExport.model(runbook, host: host)
        }
        return try template(format.template!).render(model)
    }

    /// Writes an export atomically: an existing file is replaced whole or not at all, never
    /// truncated by a failed write. Scripts are made executable.
    public static func write(_ text: String, to path: String, format: Format) throws(Failure) {
        do {
            try FileIO.replace(path, with: text, newFileMode: format == .shell ? 0o755 : 0o644)
        } catch {
            throw Failure(description: error.description)
        }
    }

    private func template(_ name: String) throws(Failure) -> MustacheTemplate {
        let text: String
        if let templates, FileManager.default.fileExists(atPath: "\(templates)/\(name).mustache") {
            let path = "\(templates)/\(name).mustache"
            guard let data = FileManager.default.contents(atPath: path) else {
                throw Failure(description: "\(path): cannot be read")
            }
            text = String(decoding: data, as: UTF8.self)
        } else if let bundled = BundledTemplates.byName[name] {
            text = bundled
        } else {
            throw Failure(description: "template \(name).mustache not found")
        }
        do {
            return try MustacheTemplate(string: text)
        } catch {
            throw Failure(description: "\(name).mustache: invalid Mustache template: \(error)")
        }
    }
}
