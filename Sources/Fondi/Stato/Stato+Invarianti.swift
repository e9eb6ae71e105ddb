extension Stato {
    /// The conservation identities of DOMAIN §3 and the cross-entity sums, checked over the whole state.
    /// Returns one Italian sentence per violation; empty means sound. Meaningful on a full state only.
    /// - Complexity: O(entities).
    public func violazioniInvarianti() -> [String] {
        let sempre = violazioniLineeEFonti() + violazioniEntrate()
        // A replay that let go of settled entities (ADR 0009) cannot sum them again: its entity-level sums
        // are checked against the stored projections through the state digest instead.
        if archiviaSaldati { return sempre }
        return sempre + violazioniImpegni() + violazioniPrenotazioniEFpv() + violazioniAccertamenti()
    }

    /// Each linea's sums and identity (DOMAIN §3), and each fonte's vincolato against its linee.
    func violazioniLineeEFonti() -> [String] {
        var v: [String] = []
        var vincolato: [String: Int64] = [:]
        for l in linee.values {
            vincolato[l.chiave.fonte, default: 0] += peso(l)
            if !(l.programmato >= l.impegnato + prenotato(l) && l.impegnato >= l.liquidato && l.liquidato >= l.pagato && l.pagato >= 0
                 && l.prenotazioni >= 0 && l.fpvEntrata >= 0 && l.fpvSpesa >= 0) {
                v.append("linea \(l.chiave): somme incoerenti")
            }
            // programmato = impegnato + prenotato + disponibile (open) or impegnato + economie (closed), DOMAIN §3.
            if l.programmato != l.impegnato + prenotato(l) + disponibile(l) + economie(l) {
                v.append("linea \(l.chiave): programmato diverso da impegnato + prenotato + disponibile + economie")
            }
            if fonti[l.chiave.fonte] == nil { v.append("linea \(l.chiave): fonte inesistente") }
            if servizi[l.chiave.servizio] == nil { v.append("linea \(l.chiave): servizio inesistente") }
        }
        for f in fonti.values.sorted(by: { $0.codice < $1.codice }) {
            let atteso = vincolato[f.codice] ?? 0
            if f.vincolato != atteso || f.libero < 0 {
                v.append("fonte \(f.codice): assegnato \(f.assegnato) ≠ libero \(f.libero) + programmato aperto e impegnato chiuso \(atteso)")
            }
            if !(0...f.assegnato).contains(f.accertato) || !(0...f.accertato).contains(f.riscosso) {
                v.append("fonte \(f.codice): accertato o riscosso fuori dai limiti")
            }
        }
        return v
    }

    /// Accertamenti are always resident (never let go of): their sums per fonte are checked in every mode.
    func violazioniEntrate() -> [String] {
        var v: [String] = []
        var entrate: [String: (accertato: Int64, riscosso: Int64)] = [:]
        for a in accertamenti.values {
            entrate[a.fonte, default: (0, 0)].accertato += a.accertato
            entrate[a.fonte, default: (0, 0)].riscosso += a.riscosso
            if a.daRiscuotere < 0 || a.ridotto < 0 || a.riscosso < 0 { v.append("accertamento \(a.numero): somme incoerenti") }
        }
        for f in fonti.values.sorted(by: { $0.codice < $1.codice }) {
            let e = entrate[f.codice] ?? (0, 0)
            if e.accertato != f.accertato || e.riscosso != f.riscosso {
                v.append("fonte \(f.codice): accertato/riscosso non corrispondono agli accertamenti")
            }
        }
        return v
    }

    /// Liquidazioni against their mandati, impegni against their liquidazioni and eliminazioni, linee against their impegni.
    func violazioniImpegni() -> [String] {
        var v: [String] = []
        var perLinea: [LineaChiave: (impegnato: Int64, liquidato: Int64, pagato: Int64)] = [:]
        var perImpegno: [String: (liquidato: Int64, pagato: Int64)] = [:]
        for l in liquidazioni.values {
            perImpegno[l.impegno, default: (0, 0)].liquidato += l.importo - l.annullato
            perImpegno[l.impegno, default: (0, 0)].pagato += l.pagato
            if l.daPagare < 0 { v.append("liquidazione \(l.numero): pagato oltre il liquidato") }
        }
        var perLiquidazione: [String: Int64] = [:]
        for m in mandati.values { perLiquidazione[m.liquidazione, default: 0] += m.importo }
        for l in liquidazioni.values where (perLiquidazione[l.numero] ?? 0) != l.pagato {
            v.append("liquidazione \(l.numero): pagato \(l.pagato) ≠ somma dei mandati \(perLiquidazione[l.numero] ?? 0)")
        }
        for i in impegni.values {
            let s = perImpegno[i.numero] ?? (0, 0)
            if s.liquidato != i.liquidato || s.pagato != i.pagato {
                v.append("impegno \(i.numero): liquidato/pagato non corrispondono alle liquidazioni")
            }
            let eliminato = eliminazioni[i.numero]?.reduce(0) { $0 + $1.importo } ?? 0
            if eliminato != i.eliminato { v.append("impegno \(i.numero): eliminato non corrisponde alle eliminazioni") }
            if i.daLiquidare < 0 || i.pagato > i.liquidato { v.append("impegno \(i.numero): somme incoerenti") }
            perLinea[i.linea, default: (0, 0, 0)].impegnato += i.impegnato
            perLinea[i.linea, default: (0, 0, 0)].liquidato += i.liquidato
            perLinea[i.linea, default: (0, 0, 0)].pagato += i.pagato
        }
        for l in linee.values {
            let s = perLinea[l.chiave] ?? (0, 0, 0)
            if s.impegnato != l.impegnato || s.liquidato != l.liquidato || s.pagato != l.pagato {
                v.append("linea \(l.chiave): somme degli impegni non corrispondono")
            }
        }
        return v
    }

    /// Prenotazioni against the impegni assumed on them, and the FPV of each linea against its reimputazioni.
    func violazioniPrenotazioniEFpv() -> [String] {
        var v: [String] = []
        // Prenotazioni: the linea's prenotato is Σ da impegnare; each one's impegnato is Σ of the impegni assumed on it.
        var prenotatoPerLinea: [LineaChiave: Int64] = [:]
        var assuntoSuPrenotazione: [String: Int64] = [:]
        for i in impegni.values { if let p = i.prenotazione { assuntoSuPrenotazione[p, default: 0] += i.assunto } }
        for p in prenotazioni.values {
            prenotatoPerLinea[p.linea, default: 0] += p.daImpegnare
            if p.daImpegnare < 0 || p.ridotto < 0 { v.append("prenotazione \(p.numero): somme incoerenti") }
            if (assuntoSuPrenotazione[p.numero] ?? 0) != p.impegnato { v.append("prenotazione \(p.numero): impegnato non corrisponde agli impegni") }
        }
        // FPV: Σ reimputed into a linea = Σ assunto of the impegni created on it by reimputazione; Σ out = Σ reimputato.
        var fpv: [LineaChiave: (entrata: Int64, spesa: Int64)] = [:]
        var reimputatoDa: [String: Int64] = [:]
        for i in impegni.values {
            fpv[i.linea, default: (0, 0)].spesa += i.reimputato
            if let o = i.origine {
                fpv[i.linea, default: (0, 0)].entrata += i.assunto
                reimputatoDa[o, default: 0] += i.assunto
            }
        }
        for i in impegni.values where (reimputatoDa[i.numero] ?? 0) != i.reimputato {
            v.append("impegno \(i.numero): reimputato non corrisponde agli impegni reimputati")
        }
        for l in linee.values {
            if (prenotatoPerLinea[l.chiave] ?? 0) != l.prenotazioni { v.append("linea \(l.chiave): prenotato non corrisponde alle prenotazioni") }
            let f = fpv[l.chiave] ?? (0, 0)
            if f.entrata != l.fpvEntrata || f.spesa != l.fpvSpesa { v.append("linea \(l.chiave): fpv non corrisponde alle reimputazioni") }
        }
        return v
    }

    /// Accertamenti against their riscossioni and riduzioni.
    func violazioniAccertamenti() -> [String] {
        var v: [String] = []
        var perAccertamento: [String: (riscosso: Int64, ridotto: Int64)] = [:]
        for r in riscossioni.values { perAccertamento[r.accertamento, default: (0, 0)].riscosso += r.importo }
        for lista in riduzioniAccertamento.values { for r in lista { perAccertamento[r.accertamento, default: (0, 0)].ridotto += r.importo } }
        for a in accertamenti.values {
            let s = perAccertamento[a.numero] ?? (0, 0)
            if s.riscosso != a.riscosso || s.ridotto != a.ridotto { v.append("accertamento \(a.numero): riscossioni o riduzioni non corrispondono") }
        }
        return v
    }
}
