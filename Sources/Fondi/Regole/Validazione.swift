/// Shape checks on values that are not codes or text (those are `Codice` and `Testo`, DOMAIN rule 13).
enum Validazione {
    static func anno(_ anno: Int, campo: String) throws(Rifiuto) {
        guard (Limiti.annoMin...Limiti.annoMax).contains(anno) else {
            throw Rifiuto(regola: "4.1", "\(campo) \(anno) non valido: atteso un anno tra \(Limiti.annoMin) e \(Limiti.annoMax)")
        }
    }
}
