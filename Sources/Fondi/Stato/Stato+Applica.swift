extension Stato {
    /// Folds one event into the state. Never refuses: stored events were valid when appended, so a broken
    /// invariant here is a bug or a corrupt file, and it traps (paired with the checks in `decidi`).
    /// - Parameters:
    ///   - seq: the event's sequence number (kept on eliminazioni).
    ///   - data: the event's accounting date.
    ///   - atto: the event's act (kept as a fonte's atto di assegnazione).
    public mutating func applica(_ evento: Evento, seq: Int64, data: DataContabile, atto: String?) {
        if let violazione = applicaControllando(evento, seq: seq, data: data, atto: atto) {
            preconditionFailure("evento \(seq) \(evento.tipo): \(violazione)")
        }
    }

    /// Folds one event like `applica`, but reports the first broken invariant instead of trapping: used by
    /// `verifica` and `replay` on stored history, which must name a bad event rather than crash. After a
    /// violation the state is unspecified and must be discarded.
    public mutating func applicaControllando(_ evento: Evento, seq: Int64, data: DataContabile, atto: String?) -> String? {
        violazione = nil
        applicaInterno(evento, seq: seq, data: data, atto: atto)
        return violazione
    }

    private mutating func applicaInterno(_ evento: Evento, seq: Int64, data: DataContabile, atto: String?) {
        switch evento {
        case let .fonteRegistrata(codice, tipo, annualita, vincolata, importo, descrizione): applicaFonteRegistrata(codice, tipo, annualita, vincolata, importo, descrizione, atto: atto)
        case let .fonteIntegrata(fonte, importo):
            modificaFonte(fonte) { $0.assegnato += importo.centesimi }
        case let .fonteRidotta(fonte, importo):
            modificaFonte(fonte) { $0.assegnato -= importo.centesimi }
        case let .servizioRegistrato(codice, descrizione):
            controlla(servizi[codice] == nil, "servizio \(codice) registrato due volte")
            servizi[codice] = Servizio(codice: codice, descrizione: descrizione)
            segna(.servizio(codice))
        case let .programmazioneDisposta(chiave, importo): applicaProgrammazioneDisposta(chiave, importo)
        case let .programmazioneRidotta(chiave, importo):
            controlla(!chiuso(chiave.esercizio), "riduzione su esercizio chiuso \(chiave.esercizio)")
            modificaLinea(chiave) { $0.programmato -= importo.centesimi }
            modificaFonte(chiave.fonte) { $0.vincolato -= importo.centesimi }
        case let .programmazioneSpostata(fonte, esercizio, da, a, importo):
            controlla(!chiuso(esercizio), "spostamento su esercizio chiuso \(esercizio)")
            modificaLinea(LineaChiave(fonte: fonte, servizio: da, esercizio: esercizio)) { $0.programmato -= importo.centesimi }
            modificaLinea(LineaChiave(fonte: fonte, servizio: a, esercizio: esercizio), crea: true) { $0.programmato += importo.centesimi }
        case let .impegnoAssunto(numero, chiave, importo, creditore, oggetto, cig, cup, prenotazione): applicaImpegnoAssunto(numero, chiave, importo, creditore, oggetto, cig, cup, prenotazione, data: data)
        case let .impegnoRidotto(numero, importo, _):
            guard let chiave = modificaImpegno(numero, { $0.ridotto += importo.centesimi }) else { return }
            controlla(!chiuso(chiave.esercizio), "riduzione d'impegno su esercizio chiuso")
            modificaLinea(chiave) { $0.impegnato -= importo.centesimi }
        case let .liquidazioneDisposta(numero, impegno, importo, _): applicaLiquidazioneDisposta(numero, impegno, importo, data: data)
        case let .liquidazioneAnnullata(numero, importo, _):
            guard let impegno = modificaLiquidazione(numero, { $0.annullato += importo.centesimi }),
                  let chiave = modificaImpegno(impegno, { $0.liquidato -= importo.centesimi }) else { return }
            modificaLinea(chiave) { $0.liquidato -= importo.centesimi }
        case let .pagamentoEmesso(mandato, liquidazione, importo): applicaPagamentoEmesso(mandato, liquidazione, importo, data: data)
        case .residuoRiportato, .economiaRilevata:
            // Records of the values at 31/12 for the audit trail; never added into the balances (DOMAIN §5).
            break
        case let .esercizioChiuso(esercizio, _, _): applicaEsercizioChiuso(esercizio, data: data)
        case let .residuoEliminato(numero, importo, _): applicaResiduoEliminato(numero, importo, seq: seq, data: data)
        case let .prenotazioneAssunta(numero, chiave, importo, oggetto): applicaPrenotazioneAssunta(numero, chiave, importo, oggetto, data: data)
        case let .scadenzaFissata(numero, fonte, tipo, termine, soglia, base, destinatario, copertura):
            applicaScadenzaFissata(numero, fonte, tipo, termine, soglia, base, destinatario, copertura, data: data, atto: atto)
        case let .scadenzaProrogata(numero, termine, _): modificaScadenza(numero) { $0.termine = termine; $0.prorogata = true }
        case let .scadenzaRevocata(numero, _): modificaScadenza(numero) { $0.revocata = true }
        case let .rendicontazioneInviata(numero, destinatario, al, righe, motivo):
            applicaRendicontazione(numero, destinatario, al, righe, motivo, seq: seq, data: data, atto: atto)
        case let .prenotazioneRidotta(numero, importo, _):
            guard let chiave = modificaPrenotazione(numero, { $0.ridotto += importo.centesimi }) else { return }
            controlla(!chiuso(chiave.esercizio), "riduzione di prenotazione su esercizio chiuso")
            modificaLinea(chiave) { $0.prenotazioni -= importo.centesimi }
        case .prenotazioneDecaduta, .residuoAttivoRiportato:
            // Records of the closing, like ResiduoRiportato: never added into the balances (DOMAIN §9).
            break
        case let .impegnoReimputato(numero, importo, esercizio, nuovo): applicaImpegnoReimputato(numero, importo, esercizio, nuovo, data: data)
        case let .accertamentoRegistrato(numero, fonte, esercizio, importo, debitore): applicaAccertamentoRegistrato(numero, fonte, esercizio, importo, debitore, data: data)
        case let .accertamentoRidotto(numero, importo, _): applicaAccertamentoRidotto(numero, importo, seq: seq, data: data)
        case let .riscossioneRegistrata(reversale, accertamento, importo, _): applicaRiscossioneRegistrata(reversale, accertamento, importo, data: data)
        }
    }

    // MARK: - Helpers (each asserts the invariants of the entity it changed)

    /// Records the first broken invariant of the event being applied.
    mutating func controlla(_ condizione: Bool, _ messaggio: @autoclosure () -> String) {
        if !condizione, violazione == nil, !tollerante { violazione = messaggio() }
    }

    mutating func segna(_ r: RiferimentoEntita) {
        if tracciaModifiche { modificati.insert(r) }
    }

    mutating func apriEsercizio(_ anno: Int) {
        if esercizi[anno] == nil {
            esercizi[anno] = Esercizio(anno: anno)
            segna(.esercizio(anno))
        }
    }

    // Each helper finds the entity once (`index(forKey:)`) and mutates it in place through `values[i]`:
    // one hash per entity touched, not two (replay does this millions of times).

    mutating func modificaFonte(_ codice: String, _ cambia: (inout Fonte) -> Void) {
        guard let i = fonti.index(forKey: codice) else { return controlla(false, "fonte \(codice) assente") }  // tolerant: registered later
        cambia(&fonti.values[i])
        let f = fonti.values[i]
        controlla(f.assegnato >= 0 && f.assegnato <= Importo.centesimiMax, "fonte \(codice): assegnato fuori limite")
        controlla(f.vincolato >= 0 && f.libero >= 0, "fonte \(codice): libero negativo (DOMAIN §4.2)")
        controlla(f.accertato >= 0 && f.accertato <= f.assegnato, "fonte \(codice): accertato oltre l'assegnato (DOMAIN §9.3)")
        controlla(f.riscosso >= 0 && f.riscosso <= f.accertato, "fonte \(codice): riscosso oltre l'accertato")
        segna(.fonte(codice))
    }

    mutating func modificaLinea(_ chiave: LineaChiave, crea: Bool = false, _ cambia: (inout Linea) -> Void) {
        var indice = linee.index(forKey: chiave)
        if indice == nil {
            guard crea || tollerante else { return controlla(false, "linea \(chiave) assente") }
            linee[chiave] = Linea(chiave: chiave)
            indice = linee.index(forKey: chiave)
        }
        guard let i = indice else { return }
        cambia(&linee.values[i])
        let l = linee.values[i]
        // The esercizio is looked up only when something is prenotato (replay folds millions of these).
        controlla(l.programmato >= l.impegnato + l.prenotazioni || (l.programmato >= l.impegnato && chiuso(chiave.esercizio)),
                  "linea \(chiave): impegnato e prenotato oltre il programmato")
        controlla(l.prenotazioni >= 0 && l.fpvEntrata >= 0 && l.fpvSpesa >= 0, "linea \(chiave): prenotato o fpv negativi")
        controlla(l.impegnato >= l.liquidato, "linea \(chiave): liquidato oltre l'impegnato")
        controlla(l.liquidato >= l.pagato && l.pagato >= 0, "linea \(chiave): pagato oltre il liquidato")
        segna(.linea(chiave))
    }

    @discardableResult
    mutating func modificaImpegno(_ numero: String, _ cambia: (inout Impegno) -> Void) -> LineaChiave? {
        guard let indice = impegni.index(forKey: numero) else {
            controlla(false, "impegno \(numero) assente")
            return nil
        }
        cambia(&impegni.values[indice])
        let i = impegni.values[indice]
        controlla(i.daLiquidare >= 0, "impegno \(numero): liquidato oltre l'impegnato")
        controlla(i.liquidato >= i.pagato && i.pagato >= 0, "impegno \(numero): pagato oltre il liquidato")
        controlla(i.impegnato >= 0, "impegno \(numero): impegnato negativo")
        segna(.impegno(numero))
        if archiviaSaldati, i.daLiquidare == 0, i.daPagare == 0 {
            // Nothing left to liquidate, reduce, eliminate or pay: no event can touch it again.
            saldati.aggiungi(i)
            impegni.remove(at: indice)
        }
        return i.linea
    }

    mutating func modificaLiquidazione(_ numero: String, _ cambia: (inout Liquidazione) -> Void) -> String? {
        guard let i = liquidazioni.index(forKey: numero) else {
            controlla(false, "liquidazione \(numero) assente")
            return nil
        }
        cambia(&liquidazioni.values[i])
        let l = liquidazioni.values[i]
        controlla(l.daPagare >= 0, "liquidazione \(numero): pagato oltre il liquidato")
        segna(.liquidazione(numero))
        if archiviaSaldati, l.daPagare == 0 {
            // Paid or annulled in full: no pagamento or annullamento can touch it again.
            saldati.aggiungi(l)
            liquidazioni.remove(at: i)
        }
        return l.impegno
    }

    @discardableResult
    mutating func modificaPrenotazione(_ numero: String, _ cambia: (inout Prenotazione) -> Void) -> LineaChiave? {
        guard let indice = prenotazioni.index(forKey: numero) else {
            controlla(false, "prenotazione \(numero) assente")
            return nil
        }
        cambia(&prenotazioni.values[indice])
        let p = prenotazioni.values[indice]
        controlla(p.daImpegnare >= 0 && p.ridotto >= 0, "prenotazione \(numero): impegnato oltre il prenotato")
        segna(.prenotazione(numero))
        if archiviaSaldati, p.daImpegnare == 0 {
            // Nothing left to commit or reduce: no event can touch it again.
            saldati.aggiungi(p)
            prenotazioni.remove(at: indice)
        }
        return p.linea
    }

    /// Accertamenti are never let go of: few, and `saldi --per debitore` lists them all.
    mutating func modificaAccertamento(_ numero: String, _ cambia: (inout Accertamento) -> Void) -> String? {
        guard let indice = accertamenti.index(forKey: numero) else {
            controlla(false, "accertamento \(numero) assente")
            return nil
        }
        cambia(&accertamenti.values[indice])
        let a = accertamenti.values[indice]
        controlla(a.daRiscuotere >= 0 && a.ridotto >= 0 && a.riscosso >= 0, "accertamento \(numero): riscosso oltre l'accertato")
        segna(.accertamento(numero))
        return a.fonte
    }
}
