/// Shape checks on free text and codes. Messages name the field and the limit.
enum Validazione {
    /// True when the text has a control character. ASCII text (the common case) is checked byte by byte;
    /// anything else falls back to the Unicode general category.
    static func haControllo(_ s: String, ammessoTab: Bool = false) -> Bool {
        var ascii = true
        for b in s.utf8 {
            if b >= 0x80 { ascii = false; break }
            if (b < 0x20 && !(ammessoTab && b == 0x09)) || b == 0x7F { return true }
        }
        if ascii { return false }
        return s.unicodeScalars.contains { $0.properties.generalCategory == .control && !(ammessoTab && $0 == "\t") }
    }

    /// Character count bounded cheaply: UTF-8 length is an upper bound of the count of characters.
    static func lunghezzaEntro(_ s: String, _ massimo: Int) -> Bool { s.utf8.count <= massimo || s.count <= massimo }

    static func codice(_ valore: String?, campo: String, obbligatorio: Bool = true) throws(Rifiuto) {
        guard let valore else {
            if obbligatorio { throw Rifiuto(regola: "4.1", "\(campo) mancante") }
            return
        }
        guard !valore.isEmpty, lunghezzaEntro(valore, Limiti.codiceLunghezzaMax),
              valore.first?.isWhitespace == false, valore.last?.isWhitespace == false, !haControllo(valore)
        else {
            throw Rifiuto(regola: "4.1", "\(campo) '\(valore)' non valido: da 1 a \(Limiti.codiceLunghezzaMax) caratteri, senza spazi iniziali o finali né caratteri di controllo")
        }
    }

    static func testo(_ valore: String?, campo: String, obbligatorio: Bool = true) throws(Rifiuto) {
        guard let valore else {
            if obbligatorio { throw Rifiuto(regola: "4.1", "\(campo) mancante") }
            return
        }
        guard !valore.allSatisfy(\.isWhitespace) else { throw Rifiuto(regola: "4.1", "\(campo) vuoto") }
        guard lunghezzaEntro(valore, Limiti.testoLunghezzaMax) else {
            throw Rifiuto(regola: "4.1", "\(campo) troppo lungo: \(valore.count) caratteri, al massimo \(Limiti.testoLunghezzaMax)")
        }
        guard !haControllo(valore, ammessoTab: true) else {
            throw Rifiuto(regola: "4.1", "\(campo): caratteri di controllo non ammessi")
        }
    }

    static func anno(_ anno: Int, campo: String) throws(Rifiuto) {
        guard (Limiti.annoMin...Limiti.annoMax).contains(anno) else {
            throw Rifiuto(regola: "4.1", "\(campo) \(anno) non valido: atteso un anno tra \(Limiti.annoMin) e \(Limiti.annoMax)")
        }
    }
}
