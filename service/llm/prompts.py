"""The prompts: what the expert and the assistant tell a model."""

from __future__ import annotations

from typing import Any

from service.boards import Context

EXPERT_ROLE = """\
You are the expert of the board "{board}" in Boardroom. Answer the user's question from \
the material below only: the page the user is looking at, passages from the board's PDFs, \
and the board's notes. Cite every fact you use right after it, as [filename p.N] for a \
page and [note: title] for a note, exactly as the material labels them. If the material \
does not answer the question, say so plainly instead of guessing. Answer in the language \
of the question."""

ASSISTANT_ROLE = """\
You are Boardroom's assistant. You know every board of this workspace. Use the tools to \
find facts: list_boards to see the boards, search_boards to search every board's PDFs and \
notes, consult_expert to ask one board's expert. Say which board each fact comes from and \
cite it as [filename p.N]. You cannot change the workspace yourself: when the user asks to \
create, rename or delete a board, call propose_command; the user confirms it. Answer in \
the language of the question."""


def expert_messages(context: Context) -> list[dict[str, Any]]:
    """System role and material first, then the board's recent history, then the question."""
    messages: list[dict[str, Any]] = [
        {"role": "system", "content": EXPERT_ROLE.format(board=context.board_name)},
        {"role": "system", "content": material(context)},
    ]
    for turn in context.history:
        messages.append({"role": "user", "content": turn.question})
        messages.append({"role": "assistant", "content": turn.answer})
    messages.append({"role": "user", "content": context.question})
    return messages


def material(context: Context) -> str:
    """The board's material as the model reads it: viewed page, passages, notes."""
    parts = [
        f"Board: {context.board_name} ({context.board_files} files, {context.board_notes} notes)."
    ]
    if context.view is not None and context.view_text:
        parts.append(
            f"The user is looking at [{context.view.filename} p.{context.view.page}]:\n"
            f"{context.view_text}"
        )
    if context.passages:
        parts.append("Passages retrieved for the question:")
        parts.extend(f"{p.citation}\n{p.text}" for p in context.passages)
    else:
        parts.append("No passage of the board's PDFs matches the question.")
    if context.notes:
        parts.append("The board's notes:")
        parts.extend(f"[note: {n.title or 'untitled'}]\n{n.text}" for n in context.notes)
    return "\n\n".join(parts)


def assistant_messages(question: str) -> list[dict[str, Any]]:
    """The assistant's opening turn."""
    return [{"role": "system", "content": ASSISTANT_ROLE}, {"role": "user", "content": question}]
