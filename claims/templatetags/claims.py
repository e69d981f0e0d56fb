from django import template

from claims.models import Claim, EvidenceLink

register = template.Library()


@register.simple_tag
def claims_citing(study):
    """The published claims whose assessment cites `study`, each with the part the study plays: one query,
    made by the study page's template so that studies never imports claims."""
    links = EvidenceLink.objects.filter(study=study, claim__status=Claim.Status.PUBLISHED).select_related("claim")
    return list(links.order_by("claim__key"))


@register.simple_tag
def verdicts():
    return list(Claim.Verdict)


@register.simple_tag
def evidence_roles():
    return list(EvidenceLink.Role)
