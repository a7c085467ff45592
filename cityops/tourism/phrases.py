"""The few sentences the tourist chat says in the tourist's own language (the site's
interface speaks Vietnamese and English through gettext; a tourist is answered in any of six)."""

from __future__ import annotations

from cityops.tourism.choices import Language

PHRASES: dict[str, dict[str, str]] = {
    "no_answer": {
        Language.VI: "Chúng tôi chưa tìm thấy câu trả lời. Bạn có muốn gửi câu hỏi đến Trung tâm điều hành (IOC) Huế không?",  # noqa: E501
        Language.EN: "We found no answer. Would you like to send your question to Huế's Operations Center (IOC)?",  # noqa: E501
        Language.KO: "답변을 찾지 못했습니다. 질문을 후에 운영센터(IOC)로 보내시겠어요?",
        Language.ZH: "没有找到答案。您要把问题发送给顺化运营中心（IOC）吗？",
        Language.JA: "回答が見つかりませんでした。質問をフエの運営センター（IOC）に送りますか？",
        Language.FR: "Nous n'avons pas trouvé de réponse. Voulez-vous envoyer votre question au Centre d'opérations (IOC) de Huế ?",  # noqa: E501
    },
    "complaint": {
        Language.VI: "Có vẻ bạn gặp sự việc cần được xử lý. Hãy báo cáo để Trung tâm điều hành (IOC) Huế tiếp nhận.",  # noqa: E501
        Language.EN: "It sounds like something went wrong. Report it and Huế's Operations Center (IOC) will take it up.",  # noqa: E501
        Language.KO: "문제가 있었던 것 같습니다. 신고하시면 후에 운영센터(IOC)가 접수합니다.",
        Language.ZH: "您似乎遇到了问题。请举报，顺化运营中心（IOC）会受理。",
        Language.JA: "問題があったようです。報告すると、フエの運営センター（IOC）が受け付けます。",
        Language.FR: "Il semble que quelque chose se soit mal passé. Signalez-le et le Centre d'opérations (IOC) de Huế s'en chargera.",  # noqa: E501
    },
}  # fmt: skip


def phrase(name: str, language: str) -> str:
    """The sentence ``name`` in ``language`` (English when it is not one of the six)."""
    said = PHRASES[name]
    return said.get(language) or said[Language.EN]
