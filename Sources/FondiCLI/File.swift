#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

enum File {
    /// Reads a whole UTF-8 text file; refuses unreadable files and invalid UTF-8 with a message naming the file.
    static func leggi(_ percorso: String) throws -> String {
        guard let f = fopen(percorso, "rb") else { throw ErroreValore("file '\(percorso)' non leggibile: \(String(cString: strerror(errno)))") }
        defer { fclose(f) }
        var byte: [UInt8] = []
        var blocco = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = fread(&blocco, 1, blocco.count, f)
            if n > 0 { byte.append(contentsOf: blocco[0..<n]) }
            if n < blocco.count { break }
        }
        if byte.starts(with: [0xEF, 0xBB, 0xBF]) { byte.removeFirst(3) }
        guard let testo = String(validating: byte, as: UTF8.self) else { throw ErroreValore("file '\(percorso)': non è testo UTF-8") }
        return testo
    }
}
