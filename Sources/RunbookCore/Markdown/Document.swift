/// The parts of a Markdown document that runbook recognition reads, in document order, copied
/// out of libcmark's tree (see `CMarkConverter`) so that no C pointer outlives the parse.
///
/// It is deliberately flat: a code block inside a list item or a block quote is still a step of
/// the procedure, so nesting would only make every reader walk it.
public struct Document: Sendable {
    public var blocks: [Block]

    public init(blocks: [Block]) {
        self.blocks = blocks
    }

    public enum Block: Sendable, Equatable {
        case heading(Heading)
        case paragraph(Paragraph)
        case codeBlock(CodeBlock)
    }

    public struct Heading: Sendable, Equatable {
        public var level: Int
        public var text: String
        public var line: Int
    }

    public struct Paragraph: Sendable, Equatable {
        public var text: String
        /// Inline code spans, in order: where prose names a file (`/etc/sysctl.conf`) or a command.
        public var codeSpans: [String]
        public var line: Int
    }

    public struct CodeBlock: Sendable, Equatable {
        /// The whole info string of a fenced block (`console {host=director}`); empty for an
        /// indented block.
        public var info: String
        /// The block's content with container indentation removed, lines ending in `\n`.
        public var literal: String
        /// Line of the opening fence, or of the first line of an indented block.
        public var line: Int
        /// Line of the first content line: one after the fence for fenced blocks.
        public var contentLine: Int
        public var isFenced: Bool
        /// False when a fenced block runs to the end of its container without a closing fence.
        public var isClosed: Bool

        /// First word of the info string, lower-cased: the block's language.
        public var language: Substring {
            let word = info.utf8.prefix(while: { $0 != 0x20 && $0 != 0x09 && $0 != UInt8(ascii: "{") })
            return word.contains(where: { $0 >= 0x41 && $0 <= 0x5A })
                ? Substring(String(Substring(word)).lowercased()) : Substring(word)
        }
    }

    /// Parses Markdown (UTF-8) with libcmark; the text starts `lineOffset` lines into its file.
    package static func parse(utf8 text: UnsafeBufferPointer<UInt8>, lineOffset: Int) -> Document {
        CMarkConverter.convert(text, lineOffset: lineOffset)
    }
}
