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
        case let .impegnoAssunto(numero, chiave, importo, creditore, oggetto, cig, cup, prenotazione):
            controlla(impegni[numero] == nil, "impegno \(numero) assunto due volte")
            controlla(!chiuso(chiave.esercizio), "impegno su esercizio chiuso \(chiave.esercizio)")
            impegni[numero] = Impegno(numero: numero, linea: chiave, data: data, creditore: creditore, oggetto: oggetto,
                                      assunto: importo.centesimi, prenotazione: prenotazione, cig: cig, cup: cup)
            segna(.impegno(numero))
            if let prenotazione {
                // The amount comes out of the prenotazione, not out of the linea's disponibile (DOMAIN §9.1).
                modificaPrenotazione(prenotazione) { $0.impegnato += importo.centesimi }
                modificaLinea(chiave) { $0.impegnato += importo.centesimi; $0.prenotazioni -= importo.centesimi }
            } else {
                modificaLinea(chiave) { $0.impegnato += importo.centesimi }
            }
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
        case let .esercizioChiuso(esercizio, _, _):
            controlla(!chiuso(esercizio), "esercizio \(esercizio) chiuso due volte")
            // Each linea of the esercizio now weighs on its fonte with its impegnato instead of its programmato
            // (what was prenotato and never committed becomes economia).
            for linea in linee.values where linea.chiave.esercizio == esercizio {
                modificaFonte(linea.chiave.fonte) { $0.vincolato -= linea.programmato - linea.impegnato }
            }
            if archiviaSaldati {
                // A prenotazione of a closed esercizio can change no more: let it go (ADR 0009).
                for p in prenotazioni.values where p.linea.esercizio == esercizio {
                    saldati.aggiungi(.prenotazione) { Self.scrivi(p, in: &$0) }
                    prenotazioni[p.numero] = nil
                }
            }
            var e = esercizi[esercizio] ?? Esercizio(anno: esercizio)
            e.chiusoIl = data
            esercizi[esercizio] = e
            segna(.esercizio(esercizio))
        case let .residuoEliminato(numero, importo, _):
            guard let chiave = modificaImpegno(numero, { $0.eliminato += importo.centesimi }) else { return }
            modificaLinea(chiave) { $0.impegnato -= importo.centesimi }
            // On a closed linea the amount becomes economia and goes back to the fonte; on the open esercizio
            // of the riaccertamento (DOMAIN §9.2) it goes back to the linea's disponibile.
            if chiuso(chiave.esercizio) { modificaFonte(chiave.fonte) { $0.vincolato -= importo.centesimi } }
            let nuova = Eliminazione(seq: seq, impegno: numero, data: data, importo: importo.centesimi)
            if archiviaSaldati {
                saldati.aggiungi(.eliminazione) { Self.scrivi(nuova, in: &$0) }
            } else {
                eliminazioni[numero, default: []].append(nuova)
            }
            segna(.eliminazione(impegno: numero, seq: seq))

        case let .prenotazioneAssunta(numero, chiave, importo, oggetto):
            controlla(prenotazioni[numero] == nil, "prenotazione \(numero) assunta due volte")
            controlla(!chiuso(chiave.esercizio), "prenotazione su esercizio chiuso \(chiave.esercizio)")
            prenotazioni[numero] = Prenotazione(numero: numero, linea: chiave, data: data, oggetto: oggetto, importo: importo.centesimi)
            segna(.prenotazione(numero))
            modificaLinea(chiave) { $0.prenotazioni += importo.centesimi }
        case let .prenotazioneRidotta(numero, importo, _):
            guard let chiave = modificaPrenotazione(numero, { $0.ridotto += importo.centesimi }) else { return }
            controlla(!chiuso(chiave.esercizio), "riduzione di prenotazione su esercizio chiuso")
            modificaLinea(chiave) { $0.prenotazioni -= importo.centesimi }
        case .prenotazioneDecaduta, .residuoAttivoRiportato:
            // Records of the closing, like ResiduoRiportato: never added into the balances (DOMAIN §9).
            break
        case let .impegnoReimputato(numero, importo, esercizio, nuovo):
            // FPV: out of the impegno's linea (fpv di spesa), into the same fonte and servizio in `esercizio`
            // (fpv di entrata), where a new impegno takes the amount. libero(F) does not move (DOMAIN §9.2).
            guard let origine = impegni[numero] else { return controlla(false, "impegno \(numero) assente") }
            modificaImpegno(numero) { $0.reimputato += importo.centesimi }
            let x = importo.centesimi
            modificaLinea(origine.linea) { $0.programmato -= x; $0.impegnato -= x; $0.fpvSpesa += x }
            // The fonte's vincolato loses X on the origin (its programmato if open, its impegnato if closed) and
            // gains X on the open destination: it does not change.
            let destinazione = LineaChiave(fonte: origine.linea.fonte, servizio: origine.linea.servizio, esercizio: esercizio)
            controlla(impegni[nuovo] == nil, "impegno \(nuovo) assunto due volte")
            controlla(!chiuso(esercizio), "reimputazione su esercizio chiuso \(esercizio)")
            apriEsercizio(esercizio)
            impegni[nuovo] = Impegno(numero: nuovo, linea: destinazione, data: data, creditore: origine.creditore, oggetto: origine.oggetto,
                                     assunto: x, origine: numero, cig: origine.cig, cup: origine.cup)
            segna(.impegno(nuovo))
            modificaLinea(destinazione, crea: true) { $0.programmato += x; $0.impegnato += x; $0.fpvEntrata += x }
        case let .accertamentoRegistrato(numero, fonte, esercizio, importo, debitore):
            controlla(accertamenti[numero] == nil, "accertamento \(numero) registrato due volte")
            controlla(!chiuso(esercizio), "accertamento su esercizio chiuso \(esercizio)")
            accertamenti[numero] = Accertamento(numero: numero, fonte: fonte, esercizio: esercizio, data: data, debitore: debitore,
                                                importo: importo.centesimi)
            segna(.accertamento(numero))
            apriEsercizio(esercizio)
            modificaFonte(fonte) { $0.accertato += importo.centesimi }
        case let .accertamentoRidotto(numero, importo, _):
            guard let fonte = modificaAccertamento(numero, { $0.ridotto += importo.centesimi }) else { return }
            modificaFonte(fonte) { $0.accertato -= importo.centesimi }
            let nuova = RiduzioneAccertamento(seq: seq, accertamento: numero, data: data, importo: importo.centesimi)
            if archiviaSaldati {
                saldati.aggiungi(.riduzioneAccertamento) { Self.scrivi(nuova, in: &$0) }
            } else {
                riduzioniAccertamento[numero, default: []].append(nuova)
            }
            segna(.riduzioneAccertamento(accertamento: numero, seq: seq))
        case let .riscossioneRegistrata(reversale, accertamento, importo, _):
            controlla(riscossioni[reversale] == nil, "reversale \(reversale) emessa due volte")
            let nuova = Riscossione(reversale: reversale, accertamento: accertamento, data: data, importo: importo.centesimi)
            if archiviaSaldati {
                saldati.aggiungi(.riscossione) { Self.scrivi(nuova, in: &$0) }
            } else {
                riscossioni[reversale] = nuova
            }
            segna(.riscossione(reversale))
            guard let fonte = modificaAccertamento(accertamento, { $0.riscosso += importo.centesimi }) else { return }
            modificaFonte(fonte) { $0.riscosso += importo.centesimi }
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
        controlla(f.accertato >= 0 && f.accertato <= f.assegnato, "fonte \(codice): accertato oltre l'assegnato (DOMAIN §9.3)")
        controlla(f.riscosso >= 0 && f.riscosso <= f.accertato, "fonte \(codice): riscosso oltre l'accertato")
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
        // The esercizio is looked up only when something is prenotato (replay folds millions of these).
        controlla(l.programmato >= l.impegnato + l.prenotazioni || (l.programmato >= l.impegnato && chiuso(chiave.esercizio)),
                  "linea \(chiave): impegnato e prenotato oltre il programmato")
        controlla(l.prenotazioni >= 0 && l.fpvEntrata >= 0 && l.fpvSpesa >= 0, "linea \(chiave): prenotato o fpv negativi")
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
        controlla(i.impegnato >= 0, "impegno \(numero): impegnato negativo")
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

    @discardableResult
    private mutating func modificaPrenotazione(_ numero: String, _ cambia: (inout Prenotazione) -> Void) -> LineaChiave? {
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
            saldati.aggiungi(.prenotazione) { Self.scrivi(p, in: &$0) }
            prenotazioni.remove(at: indice)
        }
        return p.linea
    }

    /// Accertamenti are never let go of: few, and `saldi --per debitore` lists them all.
    private mutating func modificaAccertamento(_ numero: String, _ cambia: (inout Accertamento) -> Void) -> String? {
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
