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
        case let .fonteRegistrata(codice, tipo, annualita, vincolata, importo, descrizione):
            controlla(fonti[codice] == nil, "fonte \(codice) registrata due volte")
            fonti[codice] = Fonte(codice: codice, tipo: tipo, annualita: annualita, vincolata: vincolata,
                                  descrizione: descrizione, atto: atto, assegnato: importo.centesimi, vincolato: 0)
            segna(.fonte(codice))
        case let .fonteIntegrata(fonte, importo):
            modificaFonte(fonte) { $0.assegnato += importo.centesimi }
        case let .fonteRidotta(fonte, importo):
            modificaFonte(fonte) { $0.assegnato -= importo.centesimi }
        case let .servizioRegistrato(codice, descrizione):
            controlla(servizi[codice] == nil, "servizio \(codice) registrato due volte")
            servizi[codice] = Servizio(codice: codice, descrizione: descrizione)
            segna(.servizio(codice))
        case let .programmazioneDisposta(chiave, importo):
            controlla(!chiuso(chiave.esercizio), "programmazione su esercizio chiuso \(chiave.esercizio)")
            apriEsercizio(chiave.esercizio)
            modificaLinea(chiave, crea: true) { $0.programmato += importo.centesimi }
            modificaFonte(chiave.fonte) { $0.vincolato += importo.centesimi }
        case let .programmazioneRidotta(chiave, importo):
            controlla(!chiuso(chiave.esercizio), "riduzione su esercizio chiuso \(chiave.esercizio)")
            modificaLinea(chiave) { $0.programmato -= importo.centesimi }
            modificaFonte(chiave.fonte) { $0.vincolato -= importo.centesimi }
        case let .programmazioneSpostata(fonte, esercizio, da, a, importo):
            controlla(!chiuso(esercizio), "spostamento su esercizio chiuso \(esercizio)")
            modificaLinea(LineaChiave(fonte: fonte, servizio: da, esercizio: esercizio)) { $0.programmato -= importo.centesimi }
            modificaLinea(LineaChiave(fonte: fonte, servizio: a, esercizio: esercizio), crea: true) { $0.programmato += importo.centesimi }
        case let .impegnoAssunto(numero, chiave, importo, creditore, oggetto, _, _):
            controlla(impegni[numero] == nil, "impegno \(numero) assunto due volte")
            controlla(!chiuso(chiave.esercizio), "impegno su esercizio chiuso \(chiave.esercizio)")
            impegni[numero] = Impegno(numero: numero, linea: chiave, data: data, creditore: creditore, oggetto: oggetto,
                                      assunto: importo.centesimi)
            segna(.impegno(numero))
            modificaLinea(chiave) { $0.impegnato += importo.centesimi }
        case let .impegnoRidotto(numero, importo, _):
            guard let chiave = modificaImpegno(numero, { $0.ridotto += importo.centesimi }) else { return }
            controlla(!chiuso(chiave.esercizio), "riduzione d'impegno su esercizio chiuso")
            modificaLinea(chiave) { $0.impegnato -= importo.centesimi }
        case let .liquidazioneDisposta(numero, impegno, importo, _):
            controlla(liquidazioni[numero] == nil, "liquidazione \(numero) disposta due volte")
            liquidazioni[numero] = Liquidazione(numero: numero, impegno: impegno, data: data, importo: importo.centesimi)
            segna(.liquidazione(numero))
            guard let chiave = modificaImpegno(impegno, { $0.liquidato += importo.centesimi }) else { return }
            modificaLinea(chiave) { $0.liquidato += importo.centesimi }
        case let .liquidazioneAnnullata(numero, importo, _):
            guard let impegno = modificaLiquidazione(numero, { $0.annullato += importo.centesimi }),
                  let chiave = modificaImpegno(impegno, { $0.liquidato -= importo.centesimi }) else { return }
            modificaLinea(chiave) { $0.liquidato -= importo.centesimi }
        case let .pagamentoEmesso(mandato, liquidazione, importo):
            controlla(mandati[mandato] == nil, "mandato \(mandato) emesso due volte")
            let nuovo = Mandato(numero: mandato, liquidazione: liquidazione, data: data, importo: importo.centesimi)
            if archiviaSaldati {
                saldati.aggiungi(.mandato) { Self.scrivi(nuovo, in: &$0) }
            } else {
                mandati[mandato] = nuovo
            }
            segna(.mandato(mandato))
            guard let impegno = modificaLiquidazione(liquidazione, { $0.pagato += importo.centesimi }),
                  let chiave = modificaImpegno(impegno, { $0.pagato += importo.centesimi }) else { return }
            modificaLinea(chiave) { $0.pagato += importo.centesimi }
        case .residuoRiportato, .economiaRilevata:
            // Records of the values at 31/12 for the audit trail; never added into the balances (DOMAIN §5).
            break
        case let .esercizioChiuso(esercizio, _, _, _):
            controlla(!chiuso(esercizio), "esercizio \(esercizio) chiuso due volte")
            // Each linea of the esercizio now weighs on its fonte with its impegnato instead of its programmato.
            for linea in linee.values where linea.chiave.esercizio == esercizio {
                modificaFonte(linea.chiave.fonte) { $0.vincolato -= linea.programmato - linea.impegnato }
            }
            var e = esercizi[esercizio] ?? Esercizio(anno: esercizio)
            e.chiusoIl = data
            esercizi[esercizio] = e
            segna(.esercizio(esercizio))
        case let .residuoEliminato(numero, importo, _):
            guard let chiave = modificaImpegno(numero, { $0.eliminato += importo.centesimi }) else { return }
            controlla(chiuso(chiave.esercizio), "eliminazione su esercizio aperto")
            modificaLinea(chiave) { $0.impegnato -= importo.centesimi }
            modificaFonte(chiave.fonte) { $0.vincolato -= importo.centesimi }
            let nuova = Eliminazione(seq: seq, impegno: numero, data: data, importo: importo.centesimi)
            if archiviaSaldati {
                saldati.aggiungi(.eliminazione) { Self.scrivi(nuova, in: &$0) }
            } else {
                eliminazioni[numero, default: []].append(nuova)
            }
            segna(.eliminazione(impegno: numero, seq: seq))
        }
    }

    // MARK: - Helpers (each asserts the invariants of the entity it changed)

    /// Records the first broken invariant of the event being applied.
    private mutating func controlla(_ condizione: Bool, _ messaggio: @autoclosure () -> String) {
        if !condizione, violazione == nil, !tollerante { violazione = messaggio() }
    }

    private mutating func segna(_ r: RiferimentoEntita) {
        if tracciaModifiche { modificati.insert(r) }
    }

    private mutating func apriEsercizio(_ anno: Int) {
        if esercizi[anno] == nil {
            esercizi[anno] = Esercizio(anno: anno)
            segna(.esercizio(anno))
        }
    }

    // Each helper finds the entity once (`index(forKey:)`) and mutates it in place through `values[i]`:
    // one hash per entity touched, not two (replay does this millions of times).

    private mutating func modificaFonte(_ codice: String, _ cambia: (inout Fonte) -> Void) {
        guard let i = fonti.index(forKey: codice) else { return controlla(false, "fonte \(codice) assente") }  // tolerant: registered later
        cambia(&fonti.values[i])
        let f = fonti.values[i]
        controlla(f.assegnato >= 0 && f.assegnato <= Importo.centesimiMax, "fonte \(codice): assegnato fuori limite")
        controlla(f.vincolato >= 0 && f.libero >= 0, "fonte \(codice): libero negativo (DOMAIN §4.2)")
        segna(.fonte(codice))
    }

    private mutating func modificaLinea(_ chiave: LineaChiave, crea: Bool = false, _ cambia: (inout Linea) -> Void) {
        var indice = linee.index(forKey: chiave)
        if indice == nil {
            guard crea || tollerante else { return controlla(false, "linea \(chiave) assente") }
            linee[chiave] = Linea(chiave: chiave)
            indice = linee.index(forKey: chiave)
        }
        guard let i = indice else { return }
        cambia(&linee.values[i])
        let l = linee.values[i]
        controlla(l.programmato >= l.impegnato, "linea \(chiave): impegnato oltre il programmato")
        controlla(l.impegnato >= l.liquidato, "linea \(chiave): liquidato oltre l'impegnato")
        controlla(l.liquidato >= l.pagato && l.pagato >= 0, "linea \(chiave): pagato oltre il liquidato")
        segna(.linea(chiave))
    }

    @discardableResult
    private mutating func modificaImpegno(_ numero: String, _ cambia: (inout Impegno) -> Void) -> LineaChiave? {
        guard let indice = impegni.index(forKey: numero) else {
            controlla(false, "impegno \(numero) assente")
            return nil
        }
        cambia(&impegni.values[indice])
        let i = impegni.values[indice]
        controlla(i.daLiquidare >= 0, "impegno \(numero): liquidato oltre l'impegnato")
        controlla(i.liquidato >= i.pagato && i.pagato >= 0, "impegno \(numero): pagato oltre il liquidato")
        segna(.impegno(numero))
        if archiviaSaldati, i.daLiquidare == 0, i.daPagare == 0 {
            // Nothing left to liquidate, reduce, eliminate or pay: no event can touch it again.
            saldati.aggiungi(.impegno) { Self.scrivi(i, in: &$0) }
            impegni.remove(at: indice)
        }
        return i.linea
    }

    private mutating func modificaLiquidazione(_ numero: String, _ cambia: (inout Liquidazione) -> Void) -> String? {
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
            saldati.aggiungi(.liquidazione) { Self.scrivi(l, in: &$0) }
            liquidazioni.remove(at: i)
        }
        return l.impegno
    }
}
