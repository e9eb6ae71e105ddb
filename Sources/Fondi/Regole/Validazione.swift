/// Shape checks on free text and codes. Messages name the field and the limit.
enum Validazione {
    static func codice(_ valore: String?, campo: String, obbligatorio: Bool = true) throws(Rifiuto) {
        guard let valore else {
            if obbligatorio { throw Rifiuto(regola: "4.1", "\(campo) mancante") }
            return
        }
        guard !valore.isEmpty, valore.count <= Limiti.codiceLunghezzaMax,
              valore.first?.isWhitespace == false, valore.last?.isWhitespace == false,
              !valore.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
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
        guard valore.count <= Limiti.testoLunghezzaMax else {
            throw Rifiuto(regola: "4.1", "\(campo) troppo lungo: \(valore.count) caratteri, al massimo \(Limiti.testoLunghezzaMax)")
        }
        guard !valore.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\t" }) else {
            throw Rifiuto(regola: "4.1", "\(campo): caratteri di controllo non ammessi")
        }
    }

    static func anno(_ anno: Int, campo: String) throws(Rifiuto) {
        guard (Limiti.annoMin...Limiti.annoMax).contains(anno) else {
            throw Rifiuto(regola: "4.1", "\(campo) \(anno) non valido: atteso un anno tra \(Limiti.annoMin) e \(Limiti.annoMax)")
        }
    }
}
