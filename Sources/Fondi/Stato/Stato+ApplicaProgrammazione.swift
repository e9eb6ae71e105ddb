/// `applica` for fonti, servizi and programmazione: how each event changes the state (checked invariants, never refusals).
extension Stato {
    mutating func applicaFonteRegistrata(_ codice: String, _ tipo: String, _ annualita: Int, _ vincolata: Bool, _ importo: Importo, _ descrizione: String?, atto: String?) {
        controlla(fonti[codice] == nil, "fonte \(codice) registrata due volte")
        fonti[codice] = Fonte(codice: codice, tipo: tipo, annualita: annualita, vincolata: vincolata,
                              descrizione: descrizione, atto: atto, assegnato: importo.centesimi, vincolato: 0)
        segna(.fonte(codice))
    }

    mutating func applicaProgrammazioneDisposta(_ chiave: LineaChiave, _ importo: Importo) {
        controlla(!chiuso(chiave.esercizio), "programmazione su esercizio chiuso \(chiave.esercizio)")
        apriEsercizio(chiave.esercizio)
        modificaLinea(chiave, crea: true) { $0.programmato += importo.centesimi }
        modificaFonte(chiave.fonte) { $0.vincolato += importo.centesimi }
    }
}
