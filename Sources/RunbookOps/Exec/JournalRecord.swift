import Foundation
import RunbookCore

/// One line of a journal, as `Journal` writes it: a step's outcome on a target, or the mark of
/// an interruption. Read in one place, for `--resume` and `--rollback`.
struct JournalRecord: Decodable {
    var step: Int?
    var target: String?
    var verdict: String?
    var undo: Undo?
    /// Where the record is in the journal, for problems with it.
    var line = 0

    private enum CodingKeys: String, CodingKey {
        case step, target, verdict, undo
    }

    /// The records of the journal at `path`. A last line cut short (the process was killed in
    /// the middle of writing it) is the interruption it is, not a broken journal: every record
    /// before it still counts. Any other line that is not a record is an error.
    static func read(_ path: String) throws(UsageProblem) -> [JournalRecord] {
        let bytes: [UInt8]
        do {
            guard let read = try FileIO.read(path, regularOnly: true) else {
                throw UsageProblem(description: "cannot read journal \(path): it does not exist")
            }
            bytes = read
        } catch let error as UsageProblem {
            throw error
        } catch {
            throw UsageProblem(description: "cannot read journal \(path): \(error)")
        }
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let endsWhole = bytes.last == UInt8(ascii: "\n")
        var records: [JournalRecord] = []
        let decoder = JSONDecoder()
        for (index, line) in lines.enumerated() where !line.isEmpty {
            do {
                var record = try decoder.decode(JournalRecord.self, from: Data(line))
                record.line = index + 1
                records.append(record)
            } catch {
                if index == lines.count - 1, !endsWhole { break }
                throw UsageProblem(.error(path, index + 1, "not a runbook journal record"))
            }
        }
        return records
    }
}

extension Undo: Decodable {
    private enum Keys: String, CodingKey {
        case sysctl, value, file, content, restore, remove
        case restoreAddresses = "restore_addresses", removeAddresses = "remove_addresses"
    }

    /// Reads back what `write(to:)` wrote.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        if let key = try container.decodeIfPresent(String.self, forKey: .sysctl) {
            self = .sysctl(
                key: key, value: try container.decodeIfPresent(String.self, forKey: .value),
                file: try container.decodeIfPresent(String.self, forKey: .file),
                fileContent: try container.decodeIfPresent(String.self, forKey: .content))
        } else if let restore = try container.decodeIfPresent([InterfaceAddress.Record].self, forKey: .restoreAddresses)
        {
            self = .address(
                restore: restore.map(\.value),
                remove: try container.decode([InterfaceAddress.Record].self, forKey: .removeAddresses).map(\.value))
        } else {
            self = .route(
                restore: try container.decode([RouteEntry.Record].self, forKey: .restore).map(\.entry),
                remove: try container.decode([RouteEntry.Record].self, forKey: .remove).map(\.entry))
        }
    }
}

extension RouteEntry {
    /// A route as `RouteEntry.write(to:)` writes it.
    fileprivate struct Record: Decodable {
        var destination: String
        var gateway: String?
        var device: String?
        var metric: Int?
        var flags: String?

        var entry: RouteEntry {
            RouteEntry(destination: destination, gateway: gateway, device: device, metric: metric ?? 0, flags: flags)
        }
    }
}

extension InterfaceAddress {
    /// An address as `InterfaceAddress.write(to:)` writes it.
    fileprivate struct Record: Decodable {
        var address: String
        var device: String
        var label: String?

        var value: InterfaceAddress { InterfaceAddress(address: address, device: device, label: label) }
    }
}
